// Runs the CLI from source, for tests: `node --import tsx test/cli/run-cli.ts detect ...`
import { main } from '../../src/cli/main.js';

await main(process.argv);
