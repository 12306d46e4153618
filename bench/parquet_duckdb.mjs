// Times DuckDB (one thread) writing and reading the same 10-million-row
// archive-shaped table as bench/parquet_bench.cpp, for the leanscope/DuckDB
// ratio in docs/PERFORMANCE.md. Run from the repository root:
//   node bench/parquet_duckdb.mjs [LEANSCOPE_FILE.parquet]
// With a file written by leanscope, DuckDB's read of that file is timed too.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../web/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const run = (sql) => con.run(sql);
const timed = async (sql) => {
  const start = process.hrtime.bigint();
  await run(sql);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const best = async (sql, times, before) => {
  let ms = Infinity;
  for (let i = 0; i < times; ++i) {
    if (before) await run(before);
    ms = Math.min(ms, await timed(sql));
  }
  return ms;
};

await run('SET threads = 1');
await run(`CREATE TABLE archive AS SELECT
  'client-' || ((i // 15625) % 8) AS client,
  'node-' || (i // 15625) || ':9100' AS instance,
  make_timestamp(((1763913060000 + (i % 15625) * 4000) * 1000)::BIGINT)::TIMESTAMPTZ AS "timestamp",
  ((i::UBIGINT * 2654435761) % 1000003)::DOUBLE / 7.0 AS value
FROM range(10000000) r(i)`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'leanscope-bench-'));
const file = path.join(dir, 'duckdb.parquet');
const rows = 10_000_000;
const result = { rows, threads: 1 };
result.duckdb_write_ms = await best(`COPY archive TO '${file}' (FORMAT parquet, COMPRESSION zstd)`, 3);
result.duckdb_file_bytes = statSync(file).size;
const read = (f) => `CREATE OR REPLACE TEMP TABLE r AS SELECT * FROM read_parquet('${f}')`;
result.duckdb_read_own_ms = await best(read(file), 5);
const leanscopeFile = process.argv[2];
if (leanscopeFile) result.duckdb_read_leanscope_file_ms = await best(read(path.resolve(leanscopeFile)), 5);
for (const k of Object.keys(result)) {
  if (k.endsWith('_ms')) result[k.replace('_ms', '_rows_per_s')] = Math.round(rows / (result[k] / 1000));
}
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(result, null, 2));
