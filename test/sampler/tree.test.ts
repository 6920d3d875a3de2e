import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderedMembers, settleMembership, type TreeNode } from '../../src/sampler/tree.js';

type Row = [pid: number, ppid: number, startTime: number, sid: number | null, membership?: TreeNode['membership']];

function nodes(rows: Row[]): Map<number, TreeNode> {
  return new Map(rows.map(([pid, ppid, startTime, sid, membership]) => [pid, { pid, ppid, startTime, sid, membership: membership ?? 'pending' }]));
}
const memberPids = (map: Map<number, TreeNode>, root: number) => orderedMembers(map.values(), root).map((n) => n.pid);

test('the root and its descendants belong, strangers do not; the root comes first', () => {
  const map = nodes([[1, 0, 1, 1], [90, 1, 50, 90], [100, 1, 100, 90], [120, 100, 110, 90], [110, 100, 105, 90], [130, 120, 120, 90], [300, 1, 60, 300]]);
  settleMembership(map, { rootPid: 100, sessionId: null });
  assert.deepEqual(memberPids(map, 100), [100, 110, 120, 130]);
  assert.equal(map.get(300)!.membership, 'stranger');
});

test("the root's session adopts processes reparented to init", () => {
  const map = nodes([[1, 0, 1, 1], [100, 1, 100, 100], [200, 1, 150, 100], [201, 200, 160, 100], [300, 1, 90, 300]]);
  settleMembership(map, { rootPid: 100, sessionId: 100 });
  assert.deepEqual(memberPids(map, 100), [100, 200, 201]);
});

test('a remembered member stays after reparenting, and so do its new children', () => {
  const map = nodes([[1, 0, 1, 1], [100, 1, 100, 5], [150, 1, 120, 5, 'member'], [151, 150, 130, 5]]);
  settleMembership(map, { rootPid: 100, sessionId: null });
  assert.deepEqual(memberPids(map, 100), [100, 150, 151]);
});

test('a parent link to a process that started later is a reused pid, not a parent', () => {
  // 500 claims 100 as parent but started before it: its real parent died and 100 was reused.
  const map = nodes([[100, 1, 1000, 7], [500, 100, 900, 7], [501, 100, 1000, 7]]);
  settleMembership(map, { rootPid: 100, sessionId: null });
  assert.deepEqual(memberPids(map, 100), [100, 501]);
});

test('the excluded pid and the processes below it stay out', () => {
  const map = nodes([[100, 1, 100, 100], [200, 100, 110, 300], [201, 200, 120, 300], [202, 100, 130, 300]]);
  settleMembership(map, { rootPid: 100, sessionId: null, excludePid: 200 });
  assert.deepEqual(memberPids(map, 100), [100, 202]);
});

test('a ppid cycle in corrupt data ends instead of recursing forever', () => {
  const map = nodes([[10, 11, 5, null], [11, 10, 5, null], [100, 1, 1, null]]);
  settleMembership(map, { rootPid: 100, sessionId: null });
  assert.deepEqual(memberPids(map, 100), [100]);
});

test('without a root (it exited) remembered members and their children remain', () => {
  const map = nodes([[100, 1, 999, 3], [150, 1, 120, 5, 'member'], [151, 150, 130, 5]]);
  settleMembership(map, { rootPid: -1, sessionId: null });
  assert.deepEqual(memberPids(map, -1), [150, 151]);
});
