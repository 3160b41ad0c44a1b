// The instantly-answering OpenAI-compatible endpoint bench/redteam.bench.ts measures against, in its own
// process (so its CPU is not charged to the harness under test). Prints its base URL, then serves until killed.
import { startFakeOpenAi } from '../test/redteam/helpers/fake-openai.js';

const srv = await startFakeOpenAi({ log: false, answer: () => "I'm sorry, but I can't help with that." });
process.stdout.write(`${srv.url}\n`);
process.on('SIGTERM', () => srv.close().then(() => process.exit(0)));
