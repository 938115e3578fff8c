import { DuckStore } from './engine/store/duckdb-store.ts';
import { emptyTrack } from './engine/store/track-codec.ts';
const s = await DuckStore.open(process.argv[2], { master: Uint8Array.from(Buffer.from('ab'.repeat(32), 'hex')) }, { create: true });
const tracks = Array.from({ length: 40 }, (_, d) => { const t = emptyTrack(2000); for (let i = 0; i < t.length; i++) { t.tMs[i] = Date.UTC(2026, 10, 2) + i * 5000; t.x[i] = Math.random(); } return { device: `ps-${String(d).padStart(32, '0')}`, track: t }; });
await s.ingest({ tracks, contacts: [] });
await s.close();
