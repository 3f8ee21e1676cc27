/** Run the CLI from source (`node --import tsx src/cli/entry.ts ...`), as tests do. */
import { main } from "./main.js";

process.exitCode = await main(process.argv);
