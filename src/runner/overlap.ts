// Which tasks ran at the same time as a task of another process (a prefork pool of 2 or more).
// For those the tree's change over the task is not the task's own: the other process's task
// moved it too, so only the task's own process's change can be put down to it.
//
// O(1) amortised per boundary however many tasks are open: every open task not yet marked
// belongs to one process (two unmarked tasks of two processes would have marked each other), so
// one set holds them, and each task is marked at most once.

type Pid = number | null;

export class OverlapTracker {
  /** The process of each open task, as it was when the task started. */
  private readonly pids = new Map<string, Pid>();
  private readonly openByPid = new Map<Pid, number>();
  /** Open tasks that no other process's task has overlapped yet, all of one process. */
  private alone: { pid: Pid; tasks: Set<string> } | null = null;
  /** Open tasks that did overlap one. */
  private readonly overlapped = new Set<string>();

  started(task: string, pid: Pid): void {
    if (this.pids.has(task)) this.ended(task);
    const others = this.pids.size - (this.openByPid.get(pid) ?? 0);
    this.pids.set(task, pid);
    this.openByPid.set(pid, (this.openByPid.get(pid) ?? 0) + 1);
    if (this.alone && this.alone.pid !== pid) {
      for (const id of this.alone.tasks) this.overlapped.add(id);
      this.alone = null;
    }
    if (others > 0) {
      this.overlapped.add(task);
      return;
    }
    this.alone ??= { pid, tasks: new Set() };
    this.alone.tasks.add(task);
  }

  /** Forgets an open task; true when a task of another process ran while it did. */
  ended(task: string): boolean {
    if (!this.pids.has(task)) return false;
    const pid = this.pids.get(task)!;
    this.pids.delete(task);
    const count = this.openByPid.get(pid) ?? 0;
    if (count <= 1) this.openByPid.delete(pid);
    else this.openByPid.set(pid, count - 1);
    const overlapped = this.overlapped.delete(task);
    this.alone?.tasks.delete(task);
    if (this.alone?.tasks.size === 0) this.alone = null;
    return overlapped;
  }
}
