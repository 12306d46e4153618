// DuckDB as an independent Parquet implementation for the interoperability
// tests (run with node; @duckdb/node-api comes from web/node_modules).
//   node duckdb_oracle.mjs variants DIR [ROWS]  writes DIR/<variant>.parquet in every
//                                          combination and DIR/expected.json
//   node duckdb_oracle.mjs archive FILE   prints what DuckDB reads from an
//                                          archive-shaped file, as JSON
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = process.env.LEANSCOPE_WEB_DIR || path.resolve(here, '../../web');
const require = createRequire(path.join(webDir, 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
const quote = (s) => `'${s.replaceAll("'", "''")}'`;

// Column name -> [SQL expression over i, canonical text of the value].
const columns = {
  b: ['(i % 3 = 0)', 'b::VARCHAR'],
  i8: ['((i % 256) - 128)::TINYINT', 'i8::VARCHAR'],
  i16: ['((i * 37) % 65536 - 32768)::SMALLINT', 'i16::VARCHAR'],
  i32: ['((i::BIGINT * 100003) % 4294967296 - 2147483648)::INTEGER', 'i32::VARCHAR'],
  i64: ['((i::BIGINT * 1234567890123) % 9000000000000000000 - 4000000000000000000)::BIGINT', 'i64::VARCHAR'],
  u8: ['(i % 256)::UTINYINT', 'u8::VARCHAR'],
  u16: ['((i * 37) % 65536)::USMALLINT', 'u16::VARCHAR'],
  u32: ['((i::BIGINT * 100003) % 4294967296)::UINTEGER', 'u32::VARCHAR'],
  u64: ['(i::UBIGINT * 3000000000000000)::UBIGINT', 'u64::VARCHAR'],
  f: ['(i * 0.25 - 100)::FLOAT', 'f::DOUBLE::VARCHAR'],
  d: ['(i * 0.5 - 1000.125)::DOUBLE', 'd::VARCHAR'],
  s_low: ["'client-' || (i % 5)", 's_low'],
  s_high: ["'unique-' || i || repeat('x', (i % 13)::INTEGER)", 's_high'],
  bin: ["('bytes' || (i % 50))::BLOB", 'lower(hex(bin))'],
  dt: ["DATE '2020-01-01' + (i::INTEGER)", "(dt - DATE '1970-01-01')::VARCHAR"],
  ts_ms: ["(TIMESTAMP '2024-01-01' + to_milliseconds(i::BIGINT * 1001))::TIMESTAMP_MS", 'epoch_ms(ts_ms)::VARCHAR'],
  ts_us: ["TIMESTAMP '2024-01-01' + to_microseconds(i::BIGINT * 1234567)", 'epoch_us(ts_us)::VARCHAR'],
  ts_ns: ['make_timestamp_ns(1704067200000000000 + i::BIGINT * 1234567891)', 'epoch_ns(ts_ns)::VARCHAR'],
  ts_tz: ["(TIMESTAMP '2024-01-01' + to_microseconds(i::BIGINT * 1000003))::TIMESTAMPTZ", 'epoch_us(ts_tz)::VARCHAR'],
};

async function variants(dir, count) {
  const names = Object.keys(columns);
  // Every column is NULL on its own pattern of rows.
  const select = names
    .map((n, k) => `CASE WHEN (i + ${k}) % ${7 + (k % 5)} = 0 THEN NULL ELSE ${columns[n][0]} END AS ${n}`)
    .join(',\n  ');
  await rows(`CREATE TABLE t AS SELECT i, ${select} FROM range(${count}) r(i)`);
  const made = [];
  for (const compression of ['uncompressed', 'snappy', 'gzip', 'zstd', 'lz4_raw', 'brotli']) {
    for (const version of ['v1', 'v2']) {
      for (const dictionary of [true, false]) {
        const name = `${compression}_${version}_${dictionary ? 'dict' : 'plain'}`;
        const options = [`FORMAT parquet`, `COMPRESSION ${compression}`, `PARQUET_VERSION ${version}`,
          `ROW_GROUP_SIZE 2048`];
        if (!dictionary) options.push('DICTIONARY_SIZE_LIMIT 0');
        await rows(`COPY (SELECT * EXCLUDE (i) FROM t ORDER BY i) TO ${quote(path.join(dir, name + '.parquet'))} (${options.join(', ')})`);
        made.push(name);
      }
    }
  }
  const canonical = names.map((n) => `${columns[n][1]} AS ${n}`).join(', ');
  const values = await rows(`SELECT ${canonical} FROM t ORDER BY i`);
  writeFileSync(path.join(dir, 'expected.json'),
    JSON.stringify({ variants: made, columns: names, rows: values.map((r) => names.map((n) => r[n])) }));
}

async function archive(file) {
  const f = quote(file);
  const types = await rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${f}))`);
  const values = await rows(`SELECT client, instance, epoch_ms("timestamp")::VARCHAR AS ms, "value"::VARCHAR AS value
                             FROM read_parquet(${f})`);
  const meta = await rows(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${f})`);
  process.stdout.write(JSON.stringify({ types, rows: values.map((r) => [r.client, r.instance, r.ms, r.value]), meta }));
}

const [mode, target] = process.argv.slice(2);
if (mode === 'variants') await variants(target, Number(process.argv[4] || 6000));
else if (mode === 'archive') await archive(target);
else {
  console.error('usage: duckdb_oracle.mjs variants DIR | archive FILE');
  process.exit(2);
}
