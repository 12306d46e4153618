// leanscope's Parquet codec against DuckDB, like for like, both on one thread,
// on the same 10-million-row archive-shaped table as bench/parquet_bench.cpp
// (client and instance strings, millisecond UTC timestamps, double values).
// Run from the repository root after building the release preset:
//   node bench/parquet_duckdb.mjs [PATH/TO/parquet_bench]
//
// Write: both sides serialise the table from memory to a file (no sync), with
// ZSTD level 3 and row groups of 1,000,000 rows.
// Read: both sides read the same two files (the one DuckDB wrote and the one
// leanscope wrote). leanscope decodes every column into memory (read_table).
// DuckDB runs queries whose result depends on every value of every column and
// does as little else as it can; the fastest query counts.
// Times are the best of ROUNDS rounds, leanscope and DuckDB alternating.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../web/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const benchBinary = path.resolve(process.argv[2] || path.join(here, '../build/release/bench/parquet_bench'));
const rows = 10_000_000;
const rounds = Number(process.env.ROUNDS || 5);
const zstdLevel = 3;  // leanscope's (src/archive/parquet/compression.cpp)
const rowGroupRows = 1_000_000;  // leanscope's default WriteOptions::row_group_rows

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const run = (sql) => con.run(sql);
// Wall and CPU milliseconds of one statement (CPU of this process: DuckDB's thread and node's).
const timed = async (sql) => {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run(sql);
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
};
const better = (a, b) => (!a || b.wall < a.wall ? b : a);

await run('SET threads = 1');
const version = (await con.runAndReadAll('SELECT version()')).getRows()[0][0];
await run(`CREATE TABLE archive AS SELECT
  'client-' || ((i // 15625) % 8) AS client,
  'node-' || (i // 15625) || ':9100' AS instance,
  make_timestamp(((1763913060000 + (i % 15625) * 4000) * 1000)::BIGINT)::TIMESTAMPTZ AS "timestamp",
  ((i::UBIGINT * 2654435761) % 1000003)::DOUBLE / 7.0 AS value
FROM range(${rows}) r(i)`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'leanscope-bench-'));
const duckdbFile = path.join(dir, 'duckdb.parquet');
const leanscopeFile = path.join(dir, 'leanscope.parquet');
const files = { 'DuckDB-written': duckdbFile, 'leanscope-written': leanscopeFile };

const queries = {
  lengths: (f) => `SELECT sum(length(client)), sum(length(instance)), max("timestamp"), sum(value) FROM read_parquet('${f}')`,
  distinct: (f) => `SELECT count(*), sum(value), min("timestamp"), max("timestamp"), count(DISTINCT client),
    count(DISTINCT instance) FROM read_parquet('${f}')`,
  minmax: (f) => `SELECT min(client), max(instance), max("timestamp"), sum(value) FROM read_parquet('${f}')`,
};

// One run of the leanscope benchmark binary: the write (first) and the reads.
const leanscopeRound = (write) => {
  const env = { ...process.env, PARQUET_BENCH_READ: `${duckdbFile},${leanscopeFile}` };
  if (write) env.PARQUET_BENCH_WRITE = leanscopeFile;
  const filter = write ? 'BM_ParquetWriteFile' : 'BM_ParquetReadFile';
  const out = execFileSync(benchBinary, [`--benchmark_filter=${filter}`, '--benchmark_format=json'], {
    env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  });
  const result = {};
  for (const b of JSON.parse(out).benchmarks) {
    if (b.error_occurred) throw new Error(`${b.name}: ${b.error_message}`);
    result[b.name.replace(/\/iterations:.*$/, '')] = { wall: b.real_time, cpu: b.cpu_time };
  }
  return result;
};

const best = { write: {}, read: {} };
for (let r = 0; r < rounds; ++r) {
  best.write.duckdb = better(best.write.duckdb, await timed(`COPY archive TO '${duckdbFile}'
    (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL ${zstdLevel}, ROW_GROUP_SIZE ${rowGroupRows})`));
  best.write.leanscope = better(best.write.leanscope, leanscopeRound(true).BM_ParquetWriteFile);
}
const sizes = { duckdb: statSync(duckdbFile).size, leanscope: statSync(leanscopeFile).size };
for (let r = 0; r < rounds; ++r) {
  const lean = leanscopeRound(false);
  for (const [label, f] of Object.entries(files)) {
    const slot = (best.read[label] ??= { duckdb: {} });
    slot.leanscope = better(slot.leanscope, lean[`BM_ParquetReadFile/${f}`]);
    for (const [name, q] of Object.entries(queries)) slot.duckdb[name] = better(slot.duckdb[name], await timed(q(f)));
  }
}
rmSync(dir, { recursive: true, force: true });

const ms = (t) => `${t.wall.toFixed(0)} ms (CPU ${t.cpu.toFixed(0)} ms)`;
const ratio = (duck, lean) =>
  `${(duck.wall / lean.wall).toFixed(2)}x (CPU ${(duck.cpu / lean.cpu).toFixed(2)}x)`;
const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
const lines = [];
lines.push(`DuckDB ${version} (@duckdb/node-api), SET threads = 1; leanscope on one thread; ${rows.toLocaleString('en')} rows;`
  + ` ZSTD level ${zstdLevel}; row groups of ${rowGroupRows.toLocaleString('en')}; best of ${rounds} rounds.`);
lines.push('ratio = DuckDB time / leanscope time (above 1: leanscope is faster); wall time, and CPU time of the'
  + ' process, which a busy machine inflates less.');
lines.push('');
lines.push('write (leanscope: encode_table from memory + write the file; DuckDB: COPY the in-memory table TO a file):');
lines.push(`  leanscope ${ms(best.write.leanscope)}, ${mb(sizes.leanscope)} | DuckDB ${ms(best.write.duckdb)},`
  + ` ${mb(sizes.duckdb)} | ratio ${ratio(best.write.duckdb, best.write.leanscope)}`);
lines.push('read (leanscope: read_table decodes every column into memory; DuckDB: the fastest query depending on every value of every column):');
for (const [label, slot] of Object.entries(best.read)) {
  const fastest = Object.entries(slot.duckdb).reduce((a, b) => (b[1].wall < a[1].wall ? b : a));
  const all = Object.entries(slot.duckdb).map(([n, t]) => `${n} ${t.wall.toFixed(0)}`).join(', ');
  lines.push(`  ${label} file (${mb(label.startsWith('DuckDB') ? sizes.duckdb : sizes.leanscope)}): leanscope ${ms(slot.leanscope)}`
    + ` | DuckDB ${ms(fastest[1])} [${fastest[0]}; all queries ms: ${all}] | ratio ${ratio(fastest[1], slot.leanscope)}`);
}
console.log(lines.join('\n'));
