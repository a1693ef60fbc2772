// Mocha's spec reporter plus one closing line in the form every lane of `npm test` ends with
// ("unit: N passed, N failed, N skipped"), so CI logs and people read the same count for each lane.
'use strict';
const Mocha = require('mocha');

class LaneReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const lane = (options && options.reporterOption && options.reporterOption.lane) || 'unit';
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending } = this.stats;
      process.stdout.write(`${lane}: ${passes} passed, ${failures} failed, ${pending} skipped\n`);
    });
  }
}

module.exports = LaneReporter;
