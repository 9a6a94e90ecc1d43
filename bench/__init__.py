"""`make bench`: cold start, warm latency, DynamoDB requests, sizes and end-to-end load, as ratios."""
