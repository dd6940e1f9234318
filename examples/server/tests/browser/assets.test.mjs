// Every file of the page is embedded in the binary: each JS module and stylesheet in web/ has
// its row in the ASSETS table of src/web.rs, with the right media type (a module the table
// lacks is a 404 in production, though --web-dir would not show it).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { WEB_DIR } from './harness.mjs';

const WEB_RS = path.resolve(WEB_DIR, '../src/web.rs');
const TYPES = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

test('every page file is registered in ASSETS with its media type', () => {
  const table = fs.readFileSync(WEB_RS, 'utf8');
  const files = fs.readdirSync(WEB_DIR).filter((f) => /\.(js|css)$/.test(f));
  assert.ok(files.includes('app.js') && files.includes('style.css'));
  for (const f of files) {
    const row = `("${f}", "${TYPES[f.split('.').pop()]}", include_bytes!("../web/${f}"))`;
    assert.ok(table.includes(row), `src/web.rs ASSETS lacks ${row}`);
  }
});

test('the page uses no inline script or style the CSP would block', () => {
  const html = fs.readFileSync(path.join(WEB_DIR, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'inline <script>');
  assert.doesNotMatch(html, /\sstyle=|<style/, 'inline style');
  assert.doesNotMatch(html, /\son[a-z]+=/, 'inline event handler');
  for (const f of fs.readdirSync(WEB_DIR).filter((x) => x.endsWith('.js'))) {
    const js = fs.readFileSync(path.join(WEB_DIR, f), 'utf8');
    assert.doesNotMatch(js, /setAttribute\('style'|innerHTML|\beval\(|new Function/, `${f} uses markup or code from strings`);
    assert.doesNotMatch(js, /https?:\/\/(?!www\.w3\.org\/2000\/svg')/, `${f} names an outside address`);
  }
});
