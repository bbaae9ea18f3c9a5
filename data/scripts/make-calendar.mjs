// Generates ../calendar.tsv: the official working-day calendar of the State Council's
// yearly holiday notices (国务院办公厅关于部分节假日安排的通知) from the `chinese-days`
// npm package, which carries them from 2004 on with the make-up working days (调休).
//
// Usage: cd data/scripts && npm ci && node make-calendar.mjs
//
// Output: UTF-8 TSV, header `day\tkind\tname`, sorted by day, only the days that differ
// from the plain week:
//   kind = holiday  a statutory holiday or a day off of the notice (休), any weekday
//   kind = workday  a make-up working day on a weekend (调休上班, 班)
//   name = the festival in Chinese (春节, 国庆节 …)
// Weekends not listed are off and weekdays not listed are working days. The years held
// are those present in the file; the application treats later years by weekends alone.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('chinese-days/package.json'));
const data = JSON.parse(readFileSync(join(pkgDir, 'dist', 'chinese-days.json'), 'utf8'));

// Values look like "Spring Festival,春节,4": the Chinese name is the second field.
const chineseName = (value) => value.split(',')[1] ?? value;
const isWeekend = (day) => {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
};

const rows = [];
for (const [day, value] of Object.entries(data.holidays)) {
  // The package also lists the weekend days inside a holiday; only weekdays off differ from the week.
  if (!isWeekend(day)) rows.push([day, 'holiday', chineseName(value)]);
}
for (const [day, value] of Object.entries(data.workdays)) {
  if (isWeekend(day)) rows.push([day, 'workday', chineseName(value)]);
}
rows.sort((a, b) => a[0].localeCompare(b[0]));

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'calendar.tsv');
writeFileSync(out, ['day\tkind\tname', ...rows.map((r) => r.join('\t'))].join('\n') + '\n');
console.log(`${rows.length} days (${rows[0][0]} … ${rows[rows.length - 1][0]}) written to ${out}`);
