import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStyle, shouldColor } from '../../src/render/color.js';

test('shouldColor: --no-color, then NO_COLOR, then FORCE_COLOR, then TERM=dumb, then the TTY', () => {
  assert.equal(shouldColor({}, true), true);
  assert.equal(shouldColor({}, false), false);
  assert.equal(shouldColor({}, true, true), true, 'commander passes true when --no-color is absent');
  assert.equal(shouldColor({ FORCE_COLOR: '1' }, true, false), false, '--no-color wins over everything');
  assert.equal(shouldColor({ NO_COLOR: '1' }, true), false);
  assert.equal(shouldColor({ NO_COLOR: '' }, true), true, 'an empty NO_COLOR does not count');
  assert.equal(shouldColor({ NO_COLOR: '1', FORCE_COLOR: '1' }, true), false, 'NO_COLOR beats FORCE_COLOR');
  assert.equal(shouldColor({ FORCE_COLOR: '1' }, false), true);
  assert.equal(shouldColor({ FORCE_COLOR: '' }, false), true);
  assert.equal(shouldColor({ FORCE_COLOR: '0' }, true), false);
  assert.equal(shouldColor({ FORCE_COLOR: 'false' }, true), false);
  assert.equal(shouldColor({ TERM: 'dumb' }, true), false);
});

test('createStyle paints only when asked, whatever chalk detects', () => {
  const off = createStyle({ color: false });
  assert.equal(off.red('x'), 'x');
  assert.equal(off.series(0, 'x'), 'x');
  assert.equal(off.seriesColor(0), undefined);
  const on = createStyle({ color: true });
  assert.equal(on.red('x'), '\u001b[31mx\u001b[39m');
  assert.notEqual(on.seriesColor(0), on.seriesColor(1));
  assert.equal(on.seriesColor(6), on.seriesColor(0), 'colours cycle');
});
