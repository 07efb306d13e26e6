// Drives the portal in Debian's chromium (headless, via puppeteer-core; nothing downloaded) through
// every page type, screenshots each at 390 px and 1280 px, and runs axe-core (WCAG 2.1 A + AA) on each.
// usage: node browser.mjs BASE_URL ANSWERS.json SHOT_DIR WEB_DIR USER_DATA_DIR
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [base, answersFile, shotDir, webDir, userData] = process.argv.slice(2);
const require = createRequire(path.resolve(webDir, 'package.json'));
const puppeteer = require('puppeteer-core');
const axePath = require.resolve('axe-core/axe.min.js');
const answers = JSON.parse(fs.readFileSync(answersFile, 'utf8')).answers;
answers.bsn = '111222333';
answers.telefoon = '0612345678';
fs.mkdirSync(shotDir, { recursive: true });

const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  userDataDir: userData,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--font-render-hinting=none'],
});
let failures = 0;
const seen = new Set();

async function shoot(page, name) {
  if (seen.has(name)) return;
  seen.add(name);
  for (const [w, h, tag] of [[390, 844, 'phone'], [1280, 900, 'desktop']]) {
    await page.setViewport({ width: w, height: h, deviceScaleFactor: 1 });
    await page.screenshot({ path: path.join(shotDir, `${name}-${tag}.png`), fullPage: true });
    // axe runs in the page; the page's CSP forbids scripts, so only this test bypasses it.
    await page.addScriptTag({ path: axePath });
    const res = await page.evaluate(async () => await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    for (const v of res.violations) {
      failures++;
      console.log(`FAIL axe ${name} @${w}px: ${v.id} (${v.impact}): ${v.help}`);
      for (const n of v.nodes.slice(0, 3)) console.log('   ', n.target.join(' '), '|', n.failureSummary.replace(/\n/g, ' '));
    }
    if (!res.violations.length) console.log(`ok ${name} @${w}px (${res.passes.length} axe rules passed)`);
  }
}

async function newPage() {
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
  await page.setBypassCSP(true);
  page.on('pageerror', e => { failures++; console.log('FAIL page error', e.message); });
  return page;
}

async function submitWith(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function answer(page, qid) {
  const v = answers[qid];
  const group = await page.$$eval('input[type="radio"][name^="a-"]', es => [...new Set(es.map(e => e.name.slice(2)))]);
  if (group.length) {
    // Several yes/no questions on one page: each has its own radios a-<id>.
    for (const id of group)
      if (typeof answers[id] === 'boolean') await page.click(`input[name="a-${id}"][value="${answers[id] ? 'ja' : 'nee'}"]`);
  } else if (await page.$('input[name="dag"]')) {
    const [y, m, d] = v.split('-');
    await page.type('input[name="dag"]', String(+d));
    await page.type('input[name="maand"]', String(+m));
    await page.type('input[name="jaar"]', y);
  } else if (typeof v === 'boolean') {
    await page.click(`input[name="a"][value="${v ? 'ja' : 'nee'}"]`);
  } else if (Array.isArray(v)) {
    for (const x of v) await page.click(`input[name="a"][value="${x}"]`);
  } else if (v !== undefined) {
    if (await page.$('input[type="radio"][name="a"]')) await page.click(`input[name="a"][value="${v}"]`);
    else await page.type('input[name="a"]', String(v));
  }
  await submitWith(page, 'button[value="volgende"]');
}

function kind(html) {
  if (html.includes('name="a-')) return 'vraag-groep';
  if (html.includes('type="checkbox"')) return 'vraag-meerkeuze';
  if (html.includes('value="ja"') && html.includes('value="nee"')) return 'vraag-ja-nee';
  if (html.includes('type="radio"')) return 'vraag-keuze';
  if (html.includes('name="dag"')) return 'vraag-datum';
  if (html.includes('inputmode="decimal"')) return 'vraag-getal';
  return 'vraag-tekst';
}

try {
  // The whole journey.
  const page = await newPage();
  await page.goto(base + '/', { waitUntil: 'load' });
  await shoot(page, 'start');
  await submitWith(page, 'button[type="submit"].utrecht-button--primary-action');
  await shoot(page, 'start-fout');
  await page.click('#toestemming');
  await submitWith(page, 'button[type="submit"].utrecht-button--primary-action');
  for (let i = 0; i < 120; i++) {
    const url = new URL(page.url());
    if (url.pathname === '/overzicht') break;
    const qid = url.pathname.split('/').pop();
    const html = await page.content();
    await shoot(page, kind(html));
    if (qid === 'geboortedatum' && !seen.has('vraag-fout')) {
      await page.type('input[name="dag"]', '31');
      await page.type('input[name="maand"]', '2');
      await page.type('input[name="jaar"]', '1979');
      await submitWith(page, 'button[value="volgende"]');
      await shoot(page, 'vraag-fout');
      for (const f of ['dag', 'maand', 'jaar']) await page.$eval(`input[name="${f}"]`, e => { e.value = ''; });
    }
    await answer(page, qid);
  }
  await shoot(page, 'overzicht');
  await submitWith(page, 'form[action="/versturen"] button[type="submit"]');
  await shoot(page, 'uitslag');
  await page.goto(base + '/bewijs', { waitUntil: 'load' });
  await shoot(page, 'bewijs');
  await page.emulateMediaType('print');
  await page.pdf({ path: path.join(shotDir, 'bewijs-print.pdf'), format: 'A4' });
  await page.emulateMediaType('screen');
  await page.goto(base + '/afspraak', { waitUntil: 'load' });
  await shoot(page, 'afspraak-dienst');
  await page.click('#f-dienst');
  await submitWith(page, 'button[type="submit"].utrecht-button--primary-action');
  await shoot(page, 'afspraak-tijd');
  // No time chosen: the times page with its error summary (the same page a citizen gets,
  // with "net door iemand anders gekozen", when the seat was taken meanwhile).
  await submitWith(page, 'button[type="submit"].utrecht-button--primary-action');
  await shoot(page, 'afspraak-tijd-fout');
  await page.click('#f-tijd');
  await submitWith(page, 'button[type="submit"].utrecht-button--primary-action');
  await shoot(page, 'afspraak-bevestigen');
  await submitWith(page, 'button[type="submit"].utrecht-button--primary-action');
  await shoot(page, 'afspraak-bon');

  // Save and resume, in a fresh context.
  const p2 = await newPage();
  await p2.goto(base + '/', { waitUntil: 'load' });
  await p2.click('#toestemming');
  await submitWith(p2, 'button[type="submit"].utrecht-button--primary-action');
  await p2.type('input[name="a"]', 'Ria Hoekstra');
  await submitWith(p2, 'button[value="volgende"]');
  await p2.goto(base + '/bewaren', { waitUntil: 'load' });
  await shoot(p2, 'bewaren');
  await submitWith(p2, 'form[action="/bewaren"] button[type="submit"]');
  await shoot(p2, 'bewaren-code');
  const p3 = await newPage();
  await p3.goto(base + '/hervatten', { waitUntil: 'load' });
  await shoot(p3, 'hervatten');
  await p3.type('#f-code', 'AAAA-BBBB-CCCC-DDDD');
  await submitWith(p3, 'form[action="/hervatten"] button[type="submit"]');
  await shoot(p3, 'hervatten-fout');
  // Languages: the header's "Taal · Language" opens the choice of all seven; Arabic comes back
  // right to left (lang and dir on the page), then English.
  await p3.goto(base + '/', { waitUntil: 'load' });
  await submitWith(p3, 'form.wl-lang button[name="kies"]');
  await shoot(p3, 'talen');
  await submitWith(p3, 'form.wl-lang-list button[value="ar"]');
  const dir = await p3.evaluate(() => [document.documentElement.lang, document.documentElement.dir].join('/'));
  if (dir !== 'ar/rtl') { failures++; console.log('FAIL Arabic page is', dir); }
  await shoot(p3, 'start-ar');
  await submitWith(p3, 'form.wl-lang button[name="kies"]');
  await submitWith(p3, 'form.wl-lang-list button[value="en"]');
  await shoot(p3, 'start-en');
  // The minima check.
  const p4 = await newPage();
  await p4.goto(base + '/minima', { waitUntil: 'load' });
  await shoot(p4, 'minima');
  await p4.click('#partner');
  await p4.type('#leeftijd', '35');
  await p4.type('#kinderen', '1');
  await p4.type('#inkomen', '1400');
  await p4.type('#jaren', '4');
  await submitWith(p4, 'button[type="submit"].utrecht-button--primary-action');
  await shoot(p4, 'minima-kinderen');
  await p4.type('#kind1', '8');
  await p4.click('#school1-1');
  await submitWith(p4, 'button[type="submit"].utrecht-button--primary-action');
  await shoot(p4, 'minima-uitslag');
  await p3.goto(base + '/verlopen', { waitUntil: 'load' });
  await shoot(p3, 'verlopen');
  await p3.goto(base + '/bestaat-niet', { waitUntil: 'load' });
  await shoot(p3, 'niet-gevonden');
} catch (e) {
  failures++;
  console.log('FAIL', e.stack || e);
} finally {
  await browser.close();
}
const want = ['start', 'start-fout', 'vraag-tekst', 'vraag-datum', 'vraag-fout', 'vraag-keuze', 'vraag-meerkeuze',
              'vraag-getal', 'vraag-ja-nee', 'vraag-groep', 'overzicht', 'uitslag', 'bewijs', 'afspraak-dienst', 'afspraak-tijd',
              'afspraak-tijd-fout', 'afspraak-bevestigen', 'afspraak-bon', 'bewaren', 'bewaren-code', 'hervatten', 'hervatten-fout', 'talen', 'start-ar', 'start-en', 'verlopen', 'niet-gevonden',
              'minima', 'minima-kinderen', 'minima-uitslag'];
for (const w of want) if (!seen.has(w)) { failures++; console.log('FAIL page type not visited:', w); }
console.log(failures ? `${failures} failure(s)` : `portal browser: ${seen.size} page types, 0 axe violations`);
process.exit(failures ? 1 : 0);
