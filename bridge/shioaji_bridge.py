#!/usr/bin/env python3
"""Shioaji quote bridge for `hft run live` (docs/feed.md, "The bridge process").

The engine starts this process (command in `shioaji.bridge`) and reads its stdout: one binary
record (docs/feed.md, "The binary record") per quote callback, plus control lines:

    @alias REAL CONFIGURED   quotes of a continuous contract arrive with the real code (pitfall 17)
    @ready N                 N symbols subscribed; quotes follow

Everything for people goes to stderr. Credentials come from SHIOAJI_API_KEY / SHIOAJI_SECRET_KEY
in the environment and are never printed. Pitfalls handled (reference §7): callbacks only pack
and enqueue (2), never raise (4), the main thread blocks (1); no login retry loop (6, 8).
Supports the 1.x SDK surface (`api.quote.subscribe(..., version=v1)`, setters on `api.quote`) and
1.5+ (`api.subscribe`, setters on `api`).
"""

import argparse
import os
import queue
import signal
import struct
import sys
import threading
from datetime import datetime, timedelta, timezone
from decimal import Decimal

REC = struct.Struct("<8B16s4qB5B5B5x20q")  # 232 bytes, wire_record.hpp
MAGIC, VERSION = 0xB7, 1
TYPES = {"tick_stk": 0, "tick_fop": 1, "bidask_stk": 2, "bidask_fop": 3, "quote_stk": 4,
         "quote_fop": 5}
F_SIMTRADE, F_ODD, F_TICK_TYPE = 1, 2, 4
EPOCH = datetime(1970, 1, 1)
EPOCH_UTC = datetime(1970, 1, 1, tzinfo=timezone.utc)
TAIPEI_NS = 8 * 3600 * 10**9
LEVELS = 5


def log(msg):
    print(f"bridge: {msg}", file=sys.stderr, flush=True)


def dec(value):
    """Exact (mantissa, decimals) of a price; Decimal as the SDK delivers it, never a float."""
    if value is None:
        return 0, 0
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    sign, digits, exp = d.as_tuple()
    m = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    return (m * 10**exp, 0) if exp > 0 else (m, -exp)


def utc_ns(dt):
    """Exchange time: 1.x naive Taipei wall clock (pitfall 11); 1.5 may give a tuple."""
    if isinstance(dt, tuple):
        dt = datetime(*dt)
    if dt.tzinfo is not None:
        return (dt - EPOCH_UTC) // timedelta(microseconds=1) * 1000
    return (dt - EPOCH) // timedelta(microseconds=1) * 1000 - TAIPEI_NS


def side(prices, volumes):
    """Up to five levels: decimals, mantissas, volumes (padded), and how many are used."""
    n = min(len(prices), len(volumes), LEVELS)
    pairs = [dec(p) for p in prices[:n]]
    pad = LEVELS - n
    return ([d for _, d in pairs] + [0] * pad, [m for m, _ in pairs] + [0] * pad,
            [int(v) for v in volumes[:n]] + [0] * pad, n)


def encode(kind, q):
    flags = F_SIMTRADE if getattr(q, "simtrade", False) else 0
    if kind.endswith("_stk") and getattr(q, "intraday_odd", False):
        flags |= F_ODD
    tick_type = close_m = close_d = volume = total = 0
    if kind.startswith(("tick", "quote")):
        if getattr(q, "tick_type", None) is not None:
            flags |= F_TICK_TYPE
            tick_type = int(q.tick_type)
        close_m, close_d = dec(q.close)
        volume, total = int(q.volume), int(q.total_volume)
    empty = ([0] * LEVELS, [0] * LEVELS, [0] * LEVELS, 0)
    has_book = kind.startswith(("bidask", "quote"))
    bid_d, bid_m, bid_v, nb = side(q.bid_price, q.bid_volume) if has_book else empty
    ask_d, ask_m, ask_v, na = side(q.ask_price, q.ask_volume) if has_book else empty
    code = q.code.encode()
    return REC.pack(MAGIC, VERSION, TYPES[kind], flags, len(code), tick_type, nb, na, code,
                    utc_ns(q.datetime), close_m, volume, total, close_d, *bid_d, *ask_d,
                    *bid_m, *ask_m, *bid_v, *ask_v)


class Writer:
    """Callbacks enqueue; one thread writes to stdout in batches. The engine gone = exit."""

    def __init__(self):
        self.q = queue.SimpleQueue()
        self.errors = 0
        threading.Thread(target=self._run, daemon=True).start()

    def put(self, data):
        self.q.put(data)

    def callback(self, kind):
        def handle(data):
            try:
                self.q.put(encode(kind, data))
            except Exception as e:  # noqa: BLE001 - an exception must not kill the SDK thread
                self.errors += 1
                if self.errors <= 10 or self.errors % 1000 == 0:
                    log(f"{kind} payload not encoded ({self.errors} so far): {e!r}")
        return handle

    def _run(self):
        out = sys.stdout.buffer
        while True:
            batch = [self.q.get()]
            try:
                while len(batch) < 4096:
                    batch.append(self.q.get_nowait())
            except queue.Empty:
                pass
            try:
                out.write(b"".join(batch))
                out.flush()
            except (BrokenPipeError, OSError):
                os._exit(0)  # the engine closed the stream


def two_arguments(handle):
    """1.x calls quote callbacks with (exchange, data); the arity must match exactly (pitfall 5:
    a mismatch aborts the SDK's C++ core), so no extra parameters, not even defaulted ones."""
    def callback(exchange, data):
        handle(data)
    return callback


def lookup(api, code):
    for group in ("Stocks", "Futures", "Options"):
        try:
            contract = getattr(api.Contracts, group)[code]
        except (KeyError, AttributeError, TypeError):
            contract = None
        if contract is not None:
            return contract
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--symbols", required=True, help="comma-separated codes, e.g. TXFR1,2330")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--simulation", dest="simulation", action="store_true", default=True)
    mode.add_argument("--production", dest="simulation", action="store_false")
    args = ap.parse_args()

    key, secret = os.environ.get("SHIOAJI_API_KEY", ""), os.environ.get("SHIOAJI_SECRET_KEY", "")
    if not key or not secret:
        log("SHIOAJI_API_KEY and SHIOAJI_SECRET_KEY must be set")
        return 2
    try:
        import shioaji as sj
    except ImportError:
        log("the shioaji package is not installed: pip install shioaji")
        return 2

    api = sj.Shioaji(simulation=args.simulation)
    try:
        api.login(api_key=key, secret_key=secret)
    except Exception as e:  # noqa: BLE001 - reported, never retried (pitfalls 6, 8)
        hint = " (451: too many sessions; wait at least 60 s before starting again)" \
            if "451" in str(e) else ""
        log(f"login failed: {e}{hint}")
        return 1

    v15 = hasattr(api, "subscribe") and hasattr(api, "set_on_tick_stk_v1_callback")
    host = api if v15 else api.quote
    writer = Writer()
    for kind in ("tick_stk", "bidask_stk", "tick_fop", "bidask_fop"):
        handle = writer.callback(kind)
        getattr(host, f"set_on_{kind}_v1_callback")(handle if v15 else two_arguments(handle))
    set_event = getattr(host, "set_event_callback", None)
    if set_event is not None:
        set_event(lambda resp_code, event_code, info, event:
                  log(f"session event {event_code} ({event}): {info}"))

    quote_type = sj.constant.QuoteType if hasattr(sj, "constant") else sj.QuoteType
    codes = [c for c in args.symbols.split(",") if c]
    for code in codes:
        contract = lookup(api, code)
        if contract is None:
            log(f"unknown contract code {code!r}: check `symbols` in the configuration")
            return 2
        target = getattr(contract, "target_code", "") or ""
        if target and target != code:
            writer.put(f"@alias {target} {code}\n".encode())
        for qt in (quote_type.Tick, quote_type.BidAsk):
            if v15:
                api.subscribe(contract, quote_type=qt)
            else:
                api.quote.subscribe(contract, quote_type=qt,
                                    version=sj.constant.QuoteVersion.v1)
    writer.put(f"@ready {len(codes)}\n".encode())
    log(f"subscribed {', '.join(codes)} ({'simulation' if args.simulation else 'production'})")

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(1.0):  # pitfall 1: callbacks run on SDK threads; stay alive
        pass
    try:
        api.logout()
    except Exception:  # noqa: BLE001 - leaving anyway
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
