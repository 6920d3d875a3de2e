import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summariseInstrumentNotes } from '../../src/protocol/instrument-notes.js';

test('hooked frameworks are counted per process; unfit ones kept once with their reason; other lines skipped', () => {
  const text = [
    '{"framework":"bullmq","version":"6.7.6","status":"hooked","pid":10}',
    '{"framework":"bullmq","version":"6.7.6","status":"hooked","pid":11}',
    '{"framework":"bullmq","version":"6.7.6","status":"hooked","pid":11}',
    '{"framework":"celery","version":"3.0.0","status":"unfit","pid":12,"detail":"celery.signals has no task_prerun"}',
    '{"framework":"celery","version":"3.0.0","status":"unfit","pid":13,"detail":"celery.signals has no task_prerun"}',
    'not json',
    '{"framework":"rq","status":"maybe"}',
    '[1,2]',
    '',
  ].join('\n');
  assert.deepEqual(summariseInstrumentNotes(text), {
    hooked: [{ framework: 'bullmq', version: '6.7.6', processes: 2 }],
    unfit: [{ framework: 'celery', version: '3.0.0', detail: 'celery.signals has no task_prerun' }],
  });
});

test('no notes: nothing hooked, nothing unfit', () => {
  assert.deepEqual(summariseInstrumentNotes(''), { hooked: [], unfit: [] });
});

test('labels are cut and distinct entries capped, so a hostile worker cannot grow the report', () => {
  const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ framework: `f${i}`, version: 'v'.repeat(500), status: 'hooked', pid: i }));
  const report = summariseInstrumentNotes(lines.join('\n'));
  assert.equal(report.hooked.length, 20);
  assert.equal(report.hooked[0]!.version.length, 200);
});
