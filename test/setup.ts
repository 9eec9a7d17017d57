// Loaded by mocha before any test (see .mocharc.json). Keeps output deterministic across machines.
process.env.NO_COLOR = '1';
process.env.FORCE_COLOR = '0';
