// The Node.js test function: logs {"lines": N} lines with console.log
// (the RIC prefixes each with its time, request id and level) and returns
// who handled it.
exports.handler = async (event, context) => {
  for (let i = 0; i < (event.lines || 0); i++) {
    console.log(`line ${i} of ${context.awsRequestId}`);
  }
  if (event.fail) {
    throw new TypeError('node says no');
  }
  return { node: true, requestId: context.awsRequestId, handler: process.env._HANDLER };
};
