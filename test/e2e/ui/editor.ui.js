// Editor UI cases (issue 4): hovering the stem convolution of resnet.py shows its output-size formula
// with the call's numbers: ⌊(224 + 2·3 − 1·(7 − 1) − 1)/2⌋ + 1 = 112 (worked by hand).
'use strict';
const assert = require('node:assert/strict');

module.exports.cases = [
  {
    name: 'hovering nn.Conv2d shows the substituted output-size formula',
    run: async (bench) => {
      await bench.openFile('resnet.py');
      await bench.waitForStatusItem('ML Notes');
      const text = await bench.hoverText('Conv2d', { onLine: 'nn.Conv2d(3, self.inplanes', contains: '224 + 2·3' });
      assert.match(text, /H_out = ⌊\(224 \+ 2·3 − 1·\(7 − 1\) − 1\)\/2⌋ \+ 1 = 112/);
      assert.match(text, /Params 9,408/);
      assert.match(text, /Open in calculator/);
      await bench.screenshot('hover-formula');
    },
  },
];
