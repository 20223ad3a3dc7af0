#!/usr/bin/env node
// Runs the compiled CLI (`make build` or `npm run build` first). process.exit, not exitCode:
// a handle someone forgot to close must not keep a stopped coordinator alive.
import { main } from "../dist/src/cli/main.js";

process.exit(await main(process.argv.slice(2)));
