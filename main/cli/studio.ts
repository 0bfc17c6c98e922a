import { runCli } from './runCli';

/** `studio` entry point; see runCli for the contract. */
process.exitCode = await runCli(process.argv.slice(2));
