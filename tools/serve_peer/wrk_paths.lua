-- wrk script for tools/bench_serve.py: every request is a GET of one line of the file named by
-- $WRK_PATHS (pre-encoded paths, e.g. /api/nearest?word=king&k=10). Each wrk thread walks the
-- list from its own starting point with a fixed stride; `done` prints one JSON line with
-- the counts and latency percentiles (microseconds).
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  position = (tid - 1) * 7919
end

function request()
  position = position + 1
  return wrk.format("GET", paths[(position % #paths) + 1])
end

function done(summary, latency, requests)
  local p = {}
  for _, q in ipairs({50, 90, 99, 99.9}) do
    p[#p + 1] = string.format('"%s": %d', tostring(q), latency:percentile(q))
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "stdev": %.1f, "max": %d, "percentiles": {%s}}}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout, latency.mean, latency.stdev, latency.max, table.concat(p, ", ")))
end
