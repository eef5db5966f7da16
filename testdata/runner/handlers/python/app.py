# The Python test function: prints {"lines": N} lines naming the request,
# raises on {"fail": true}, else returns a summary of the event.
import os

COLD = True


def handler(event, context):
    global COLD
    was_cold, COLD = COLD, False
    if event.get("fail"):
        raise ValueError("python says no")
    for i in range(event.get("lines", 0)):
        print("line %d of %s" % (i, context.aws_request_id), flush=True)
    return {"python": True, "cold": was_cold, "request_id": context.aws_request_id,
            "handler": os.environ.get("_HANDLER"), "event": event}
