-- A request mix for wrk, driven by bench/load.py: wrk -s bench/load_mix.lua (with LOAD_PLAN set).
--
-- LOAD_PLAN names a tab-separated file, one request a line:
--   kind, expected status, path, If-None-Match to send ("-": none), ETag of the answer
-- Each connection takes the next line, round and round. wrk does not tell response() which
-- request it answers, so an answer is matched to its line by its ETag (bench/load.py checks
-- every line has its own). An answer whose ETag is no line's, or whose status is not its
-- line's, is unexpected. Every wrk thread has its own Lua state: setup() keeps a handle on
-- each thread so that done() can add up their counters with thread:get().

local SAMPLES_KEPT = 5 -- unexpected answers described per thread
local PERCENTILES = { 50, 90, 99 }

local function read_plan(path)
  local plan, by_etag = {}, {}
  for line in io.lines(path) do
    local kind, expected, target, send, etag =
      line:match("^([^\t]+)\t(%d+)\t([^\t]+)\t([^\t]+)\t([^\t]+)$")
    if not kind then
      error("bad line in " .. path .. ": " .. line)
    end
    local entry = {
      kind = kind,
      expected = tonumber(expected),
      path = target,
      if_none_match = send ~= "-" and send or nil,
    }
    table.insert(plan, entry)
    by_etag[etag] = entry
  end
  if #plan == 0 then
    error("no requests in " .. path)
  end
  return plan, by_etag
end

local plan_path = os.getenv("LOAD_PLAN") or error("LOAD_PLAN is not set")
local plan, by_etag = read_plan(plan_path)

-- Per thread, read by done() through thread:get(), so global.
counts = {} -- "kind status" -> answers
sent = {} -- kind -> requests sent
unexpected = 0
samples = {}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(_args)
  for _, entry in ipairs(plan) do
    local headers = {}
    if entry.if_none_match then
      headers["If-None-Match"] = entry.if_none_match
    end
    entry.request = wrk.format("GET", entry.path, headers)
  end
end

local position = 0

function request()
  position = position % #plan + 1
  local entry = plan[position]
  sent[entry.kind] = (sent[entry.kind] or 0) + 1
  return entry.request
end

local function header(headers, name)
  return headers[name] or headers[name:lower()]
end

local function describe(status, etag, entry, body)
  local expected = entry and (entry.kind .. " " .. entry.path .. " expects " .. entry.expected)
    or "no planned request has this ETag"
  local excerpt = (body or ""):sub(1, 300):gsub("%s+", " ")
  return string.format("%d ETag=%s (%s) body: %s", status, etag or "none", expected, excerpt)
end

function response(status, headers, body)
  local etag = header(headers, "ETag")
  local entry = etag and by_etag[etag]
  local key = (entry and entry.kind or "unmatched") .. " " .. status
  counts[key] = (counts[key] or 0) + 1
  if entry and status == entry.expected then
    return
  end
  unexpected = unexpected + 1
  if #samples < SAMPLES_KEPT then
    table.insert(samples, describe(status, etag, entry, body))
  end
end

local function add_up(name)
  local total = {}
  for _, thread in ipairs(threads) do
    for key, value in pairs(thread:get(name)) do
      total[key] = (total[key] or 0) + value
    end
  end
  return total
end

local function print_sorted(prefix, table_)
  local keys = {}
  for key in pairs(table_) do
    table.insert(keys, key)
  end
  table.sort(keys)
  for _, key in ipairs(keys) do
    print(string.format("%s %s %d", prefix, key, table_[key]))
  end
end

-- One "load <name> <value>" line each, for bench/load.py to read.
function done(summary, latency, _requests)
  local seconds = summary.duration / 1e6
  print(string.format("load requests %d", summary.requests))
  print(string.format("load seconds %.3f", seconds))
  print(string.format("load requests_per_second %.1f", summary.requests / seconds))
  print(string.format("load bytes %d", summary.bytes))
  for _, p in ipairs(PERCENTILES) do
    print(string.format("load latency_p%d_ms %.2f", p, latency:percentile(p) / 1000))
  end
  print(string.format("load latency_mean_ms %.2f", latency.mean / 1000))
  print(string.format("load latency_max_ms %.2f", latency.max / 1000))
  for _, name in ipairs({ "connect", "read", "write", "timeout", "status" }) do
    print(string.format("load errors_%s %d", name, summary.errors[name]))
  end
  print_sorted("load sent", add_up("sent"))
  print_sorted("load status", add_up("counts"))
  local total_unexpected = 0
  for _, thread in ipairs(threads) do
    total_unexpected = total_unexpected + thread:get("unexpected")
    for _, sample in ipairs(thread:get("samples")) do
      print("load sample " .. sample)
    end
  end
  print(string.format("load unexpected %d", total_unexpected))
end
