// Which processes belong to the worker's tree. Pure: the backends build the nodes, this decides.

export type Membership = 'member' | 'stranger' | 'pending';

export interface TreeNode {
  pid: number;
  ppid: number;
  /** With pid, names one process; any unit, as long as a child never starts before its parent. */
  startTime: number;
  /** Session id, or null where the backend cannot tell. */
  sid: number | null;
  /**
   * 'member': seen in the tree before and still the same process (a remembered member stays even
   * after its parent died and it was reparented). 'stranger': known not to belong. 'pending': decide now.
   */
  membership: Membership;
}

export interface TreeRules {
  rootPid: number;
  /** Session whose processes all belong: the root's, when the root leads its own session. */
  sessionId: number | null;
  /**
   * Never a member: leakhunt itself, when the target is one of its ancestors (`--pid $$`). Its own
   * children (a `ps` it runs) then hang below a non-member and stay out too.
   */
  excludePid?: number;
}

/**
 * Settles every 'pending' node. A pending node belongs when it is the root, shares the root's session,
 * or its parent belongs. The parent link counts only when the parent started no later than the
 * child: otherwise that pid was reused by a newer process, which cannot be this one's parent.
 */
export function settleMembership(nodes: ReadonlyMap<number, TreeNode>, rules: TreeRules): void {
  const resolve = (node: TreeNode): boolean => {
    if (node.membership !== 'pending') return node.membership === 'member';
    node.membership = 'stranger'; // provisional, so a corrupt ppid cycle ends here
    if (node.pid === rules.excludePid) return false;
    const parent = nodes.get(node.ppid);
    const belongs =
      node.pid === rules.rootPid ||
      (rules.sessionId !== null && node.sid === rules.sessionId) ||
      (parent !== undefined && parent !== node && parent.startTime <= node.startTime && resolve(parent));
    if (belongs) node.membership = 'member';
    return belongs;
  };
  for (const node of nodes.values()) resolve(node);
}

/** Members in reading order: the root first, then by pid (the order /proc lists them). */
export function orderedMembers<T extends TreeNode>(nodes: Iterable<T>, rootPid: number): T[] {
  const members: T[] = [];
  for (const node of nodes) if (node.membership === 'member') members.push(node);
  members.sort((a, b) => (a.pid === rootPid ? -1 : b.pid === rootPid ? 1 : a.pid - b.pid));
  return members;
}
