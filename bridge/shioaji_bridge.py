#!/usr/bin/env python3
"""Shioaji quote bridge for `hft run live` (docs/feed.md, "The bridge process").

The engine starts this process (command in `shioaji.bridge`) and reads its stdout: one binary
record (docs/feed.md, "The binary record") per quote callback, plus control lines:

    @alias REAL CONFIGURED   quotes of a continuous contract arrive with the real code (pitfall 17)
    @ready N                 N symbols subscribed; quotes follow
    @exec {json}             an execution report (--orders only): ack, fill, cancelled, rejected,
                             replaced of an order the engine sent or one reported by @working
    @working {json}          (--orders only, before @ready) an order of a configured code that was
                             working at the broker before this session, bound to client id 1..W
    @position {json}         (--orders only, before @ready) a non-zero position in a configured code
    @reconciled W P          (--orders only) start-up reconciliation done: W @working, P @position
    @reconcile_failed WHY    (--orders only) the SDK refused a reconciliation call; nothing is known
    @positions {json}        (--orders --position-check-s S) every S seconds: the broker's signed
                             position in every configured code, e.g. {"2330":-2,"TXFR1":0}
    @positions_failed WHY    ... or the list_positions call that raised and its exception type

Right after login, before anything else, it writes the configured codes' contract data; with
--contracts (`hft config sync`) it then logs out and exits 0 (nothing subscribed):

    @contract {json}         the broker's contract data (reference §2): code (as configured),
                             target_code, security_type, exchange, name, category, unit,
                             multiplier, reference, limit_up, limit_down, delivery_month,
                             delivery_date, update_date; prices as exact decimal text
    @contract_missing CODE   (--contracts only) the broker has no contract of that code (without
                             --contracts an unknown code ends the bridge with exit status 2)
    @contracts_done N        N codes asked

With --orders (the engine's orders.mode=live) the engine writes one JSON order line per order to
this process's stdin (place / cancel / update, docs/feed.md "Orders through the bridge"); the
bridge places them with the SDK and turns the order/deal events (reference §4.5) into @exec lines.
Before @ready it tells the engine what the broker already has (docs/feed.md, "Start-up
reconciliation"): refreshed trades (update_status, list_trades) and positions (list_positions) in
the configured codes. Each working order is bound to a client id (1..W, below every id the engine
hands out) from then on: its events are forwarded under that id and `cancel` reaches it.

Everything for people goes to stderr. Credentials come from SHIOAJI_API_KEY / SHIOAJI_SECRET_KEY
in the environment and are never printed. Pitfalls handled (reference §7): callbacks only pack
and enqueue (2), never raise (4), the main thread blocks (1); no login retry loop (6, 8).
Supports the 1.x SDK surface (`api.quote.subscribe(..., version=v1)`, setters on `api.quote`) and
1.5+ (`api.subscribe`, setters on `api`).
"""

import argparse
import collections
import json
import os
import queue
import signal
import struct
import sys
import threading
import time
import zlib
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

    def drain(self, seconds):
        """Gives the queue up to `seconds` to reach stdout before the process exits."""
        end = time.monotonic() + seconds
        while not self.q.empty() and time.monotonic() < end:
            time.sleep(0.01)

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


ORDER_RATE_LIMIT, ORDER_RATE_WINDOW_S = 250, 10.0  # reference §5: order calls per 10 s


def plain(x):
    """1.5 delivers order events as Rust mapping types that fail isinstance(x, dict) (§4.5)."""
    if hasattr(x, "items"):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    return x


def decimal_text(value):
    """Exact decimal text of a price ("585.5", "23000"); str() first so a float stays short."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    return format(d.normalize(), "f")


def epoch_ns(ts):
    """Order/deal times are true epoch (pitfall 12): seconds (float or int), or already ns."""
    if not ts:
        return 0
    ts = float(ts)
    return int(ts) if ts > 1e17 else int(ts * 1e9)


def enum_name(value):
    """An SDK enum's name ("Submitted", "Buy"): 1.x str enums have .value; a repr-like text
    ("Status.Submitted") keeps its last part."""
    return str(getattr(value, "value", value)).rsplit(".", 1)[-1]


WORKING = ("PendingSubmit", "PreSubmitted", "Submitted", "PartFilled")  # reference §4.4


def op_ok(code):
    return str(code).strip("0") == ""  # "00" stock, "0000" futures


class Orders:
    """The order side of the bridge. stdin lines and SDK order/deal events go through one queue
    to one worker thread, which alone calls the SDK's order functions (never from an SDK
    callback thread, pitfall 3) and owns the client-id -> Trade table, so no locks. Events of an
    order are handled after its place_order returned, so a deal that comes before the order
    event (pitfall 20) still finds its order."""

    def __init__(self, sj, api, writer, on_eof):
        self.sj, self.api, self.writer, self.on_eof = sj, api, writer, on_eof
        self.v15 = hasattr(sj, "StockOrder")
        self.const = sj.constant if hasattr(sj, "constant") else sj
        self.q = queue.SimpleQueue()
        self.orders = {}     # client id -> dict(trade, code, action, price, leaves, pending)
        self.by_broker = {}  # Trade.order.id -> client id
        self.calls = collections.deque()
        self.foreign = 0
        self.errors = 0

    def start(self, configured, check_s):
        """Starts the worker with the start-up reconciliation as its first item and returns once
        that is written (before @ready). `configured`: real code -> configured code. With
        `check_s` > 0 the worker also checks the broker's positions that often."""
        self.api.set_order_callback(self.on_event)
        done = threading.Event()
        self.q.put(("reconcile", configured, done))
        threading.Thread(target=self._read_stdin, daemon=True).start()
        threading.Thread(target=self._work, daemon=True).start()
        done.wait()
        if check_s > 0:
            threading.Thread(target=self._tick_checks, args=(configured, check_s),
                             daemon=True).start()

    def _tick_checks(self, configured, check_s):
        """Queues a position check every `check_s` seconds: the worker makes it between the
        items before and after it, so every event queued earlier reaches the engine first."""
        while True:
            time.sleep(check_s)
            self.q.put(("positions", configured))

    def on_event(self, stat, msg):
        """SDK callback thread: enqueue only (pitfall 2), never raise (pitfall 4)."""
        try:
            self.q.put(("event", stat, msg))
        except Exception:  # noqa: BLE001
            pass

    def _read_stdin(self):
        for line in sys.stdin:
            self.q.put(("order", line))
        log("the engine closed the order stream; stopping")
        self.on_eof()

    def _work(self):
        while True:
            item = self.q.get()
            try:
                if item[0] == "order":
                    self.on_order_line(item[1])
                elif item[0] == "positions":
                    self.check_positions(item[1])
                elif item[0] == "reconcile":
                    try:
                        self.reconcile(item[1])
                    finally:  # the main thread waits for it; the engine sees @ready without
                        item[2].set()  # @reconciled if it went wrong here
                else:
                    self.on_sdk_event(item[1], plain(item[2]))
            except Exception as e:  # noqa: BLE001 - one bad item must not stop the orders
                self.errors += 1
                log(f"order worker: {item[0]} not handled: {e!r}")

    def emit(self, cid, kind, o, **fields):
        report = {"id": cid, "type": kind, "code": o["code"], "action": o["action"]}
        report.update(fields)
        self.writer.put(f"@exec {json.dumps(report, separators=(',', ':'))}\n".encode())

    def count_call(self):
        now = time.monotonic()
        self.calls.append(now)
        while self.calls and self.calls[0] < now - ORDER_RATE_WINDOW_S:
            self.calls.popleft()
        if len(self.calls) == ORDER_RATE_LIMIT + 1:
            log(f"more than {ORDER_RATE_LIMIT} order calls in {ORDER_RATE_WINDOW_S:.0f} s: "
                "the broker suspends the service for a minute at this rate (reference §5)")

    # --- engine -> SDK -------------------------------------------------------------------------

    def on_order_line(self, line):
        try:
            req = json.loads(line)
            cid, op = int(req["id"]), req["op"]
        except (ValueError, KeyError, TypeError) as e:
            log(f"order line not understood ({e!r}): {line[:200]!r}")
            return
        if op == "place":
            self.place(cid, req)
            return
        o = self.orders.get(cid)
        if o is None:
            stub = {"code": req.get("code", ""), "action": "Buy"}
            self.emit(cid, "rejected", stub, op_code="bridge", msg=f"{op}: unknown order")
            return
        self.count_call()
        try:
            if op == "cancel":
                self.api.cancel_order(o["trade"])
            elif op == "update":
                self.update(cid, o, Decimal(req["price"]), int(req["qty"]))
            else:
                self.emit(cid, "rejected", o, op_code="bridge", msg=f"unknown op {op!r}")
        except Exception as e:  # noqa: BLE001 - the SDK refused synchronously
            o["pending"] = None
            self.emit(cid, "rejected", o, op_code="bridge", msg=f"{op}: {e}")

    def make_order(self, req, stock):
        c = self.const
        price = Decimal(req["price"])
        kwargs = dict(price=int(price) if price == price.to_integral_value() else float(price),
                      quantity=int(req["qty"]), action=getattr(c.Action, req["action"]),
                      order_type=getattr(c.OrderType, req["order_type"]))
        if stock:  # quantity in board lots (order_lot Common), reference §4.1
            kwargs.update(price_type=getattr(c.StockPriceType, req["price_type"]),
                          order_lot=c.StockOrderLot.Common, order_cond=c.StockOrderCond.Cash,
                          account=self.api.stock_account)
        else:  # contracts; the broker decides open/close (octype Auto), reference §4.2
            kwargs.update(price_type=getattr(c.FuturesPriceType, req["price_type"]),
                          octype=c.FuturesOCType.Auto, account=self.api.futopt_account)
        if self.v15:
            return (self.sj.StockOrder if stock else self.sj.FuturesOrder)(**kwargs)
        return self.api.Order(**kwargs)

    def place(self, cid, req):
        o = {"code": req.get("code", ""), "action": req.get("action", "Buy"), "trade": None,
             "leaves": int(req.get("qty", 0)), "price": req.get("price", "0"), "pending": None}
        contract = lookup(self.api, o["code"])
        target = getattr(contract, "target_code", "") or ""
        if target and target != o["code"]:
            contract = lookup(self.api, target) or contract  # TXFR1 -> the real month
        if contract is None:
            self.emit(cid, "rejected", o, op_code="bridge", msg=f"unknown contract {o['code']}")
            return
        self.count_call()
        try:
            trade = self.api.place_order(contract, self.make_order(req, req["security"] == "stock"))
        except Exception as e:  # noqa: BLE001 - the SDK refused synchronously
            self.emit(cid, "rejected", o, op_code="bridge", msg=f"place_order: {e}")
            return
        status = getattr(trade, "status", None)
        if str(getattr(status, "status", "")).endswith("Failed"):  # refused before any event
            self.emit(cid, "rejected", o, op_code=str(getattr(status, "status_code", "")),
                      msg=str(getattr(status, "msg", "")))
            return
        o["trade"] = trade
        self.orders[cid] = o
        self.by_broker[trade.order.id] = cid

    def update(self, cid, o, price, qty):
        """qty is the new open quantity; Shioaji's update_order(qty=n) cancels n (pitfall 24)."""
        if qty > o["leaves"]:
            self.emit(cid, "rejected", o, op_code="bridge", msg="quantity can only be reduced")
            return
        steps = []
        if qty < o["leaves"]:
            steps.append(dict(qty=o["leaves"] - qty))
        if price != Decimal(o["price"]):
            steps.append(dict(price=int(price) if price == price.to_integral_value()
                              else float(price)))
        if not steps:
            self.emit(cid, "replaced", o, price=decimal_text(price), leaves=o["leaves"])
            return
        o["pending"] = {"steps": len(steps), "price": decimal_text(price),
                        "cut": o["leaves"] - qty}
        for step in steps:
            self.api.update_order(o["trade"], **step)

    # --- start-up reconciliation -------------------------------------------------------------

    def control(self, kind, fields):
        self.writer.put(f"@{kind} {json.dumps(fields, separators=(',', ':'))}\n".encode())

    def reconcile(self, configured):
        """What the broker already has in the configured codes: working orders and positions.
        An SDK exception makes it @reconcile_failed (its type only: messages may carry account
        numbers); the engine decides whether to start."""
        accounts = self.accounts()
        step = "update_status"
        try:
            for account in accounts:  # keyword: a positional first argument is the account (22)
                self.api.update_status(account=account)
            step = "list_trades"
            working = [w for w in map(self.working_order, self.api.list_trades())
                       if w is not None and w["code"] in configured]
            step = "list_positions"
            positions = [p for p in self.broker_positions(accounts)
                         if p["qty"] != 0 and p["code"] in configured]
        except Exception as e:  # noqa: BLE001 - reported to the engine, never a crash
            log(f"start-up reconciliation: {step} failed: {type(e).__name__}")
            self.writer.put(f"@reconcile_failed {step}: {type(e).__name__}\n".encode())
            return
        # Bound to client ids 1..W now, before any event of theirs is taken off the queue (this
        # worker handles them after this item): a deal from here on is forwarded, whatever the
        # engine then decides. The engine's own ids are far above (epoch << 24).
        for cid, w in enumerate(working, start=1):
            w["code"] = configured[w["code"]]
            trade = w.pop("trade")
            self.orders[cid] = {"code": w["code"], "action": w["action"], "trade": trade,
                                "price": w["price"], "leaves": w["open"], "pending": None}
            self.by_broker[trade.order.id] = cid
            self.control("working", {"id": cid, **w})
        for p in positions:
            p["code"] = configured[p["code"]]
            self.control("position", p)
        self.writer.put(f"@reconciled {len(working)} {len(positions)}\n".encode())
        log(f"start-up reconciliation: {len(working)} working order(s), {len(positions)} "
            "position(s) in the configured codes")

    def accounts(self):
        return [a for a in (self.api.stock_account, self.api.futopt_account) if a is not None]

    def broker_positions(self, accounts):
        """Every position of `accounts` as @position fields (stocks in board lots, §4.3)."""
        out = []
        for account in accounts:
            stock = account is self.api.stock_account
            kwargs = {"unit": self.const.Unit.Common} if stock else {}
            out += [self.position(p) for p in self.api.list_positions(account, **kwargs)]
        return out

    def check_positions(self, configured):
        """One position check: @positions with every configured code (0 when flat), or
        @positions_failed with the exception's type only (its text may carry the account)."""
        try:
            positions = self.broker_positions(self.accounts())
        except Exception as e:  # noqa: BLE001 - reported to the engine, never a crash
            self.writer.put(f"@positions_failed list_positions: {type(e).__name__}\n".encode())
            return
        net = {code: 0 for code in set(configured.values())}
        for p in positions:
            if p["code"] in configured:
                net[configured[p["code"]]] += p["qty"]
        self.control("positions", net)

    @staticmethod
    def working_order(trade):
        """The @working fields of a Trade still working at the broker, else None."""
        status = trade.status
        state = enum_name(status.status)
        if state not in WORKING:
            return None
        order = trade.order
        qty = int(order.quantity)
        left = qty - int(status.deal_quantity or 0) - int(status.cancel_quantity or 0)
        if left <= 0:
            return None
        return {"code": trade.contract.code, "action": enum_name(order.action),
                "price": decimal_text(order.price), "qty": qty, "open": left,
                "broker_id": str(order.id), "seqno": str(order.seqno),
                "ordno": str(order.ordno), "status": state, "trade": trade}

    @staticmethod
    def position(p):
        """The @position fields of a StockPosition / FuturePosition: signed quantity, average
        price and the contract's last price (what the engine may count the PnL from)."""
        qty = int(p.quantity)
        out = {"code": p.code, "qty": qty if enum_name(p.direction) == "Buy" else -qty,
               "price": decimal_text(p.price)}
        last = getattr(p, "last_price", None)
        if last:
            out["last"] = decimal_text(last)
        return out

    # --- SDK events -> engine ------------------------------------------------------------------

    def on_sdk_event(self, stat, msg):
        topic = str(getattr(stat, "value", stat)).upper()
        if "DEAL" in topic:
            self.on_deal(msg)
        else:
            self.on_order_event(msg)

    def lookup_order(self, broker_id):
        cid = self.by_broker.get(broker_id)
        if cid is None:
            self.foreign += 1
            if self.foreign <= 10 or self.foreign % 1000 == 0:
                log(f"event of an order this engine did not place (id {broker_id!r}, "
                    f"{self.foreign} so far): not forwarded")
            return None, None
        return cid, self.orders[cid]

    def on_order_event(self, msg):
        op, order = msg["operation"], msg["order"]
        cid, o = self.lookup_order(order["id"])
        if o is None:
            return
        status = msg.get("status") or {}
        ts = epoch_ns(status.get("exchange_ts"))
        op_type, code, text = op["op_type"], op.get("op_code", ""), op.get("op_msg", "")
        if not op_ok(code):
            o["pending"] = None
            self.emit(cid, "rejected", o, op_code=str(code), msg=text, ts=ts)
            return
        if op_type == "New":
            self.emit(cid, "ack", o, price=decimal_text(order["price"]), leaves=o["leaves"], ts=ts)
        elif op_type == "Cancel":
            o["leaves"] = 0
            self.emit(cid, "cancelled", o, price=decimal_text(order["price"]), leaves=0, ts=ts)
        elif op_type in ("UpdatePrice", "UpdateQty"):
            pending = o["pending"]
            if pending is None:
                return  # the other half of a replace that was already refused
            if op_type == "UpdatePrice":
                o["price"] = pending["price"]
            else:
                o["leaves"] = max(0, o["leaves"] - pending["cut"])  # a deal may have come first
            pending["steps"] -= 1
            if pending["steps"] == 0:
                o["pending"] = None
                self.emit(cid, "replaced", o, price=o["price"], leaves=o["leaves"], ts=ts)
        else:
            log(f"order event with unknown op_type {op_type!r} ignored")

    def on_deal(self, msg):
        cid, o = self.lookup_order(msg["trade_id"])
        if o is None:
            return
        qty = int(msg["quantity"])
        o["leaves"] = max(0, o["leaves"] - qty)
        # Dedupe key for the engine: the same deal replayed (pitfall 21) has the same numbers.
        key = f"{msg.get('ordno', '')}|{msg.get('seqno', '')}|{msg.get('exchange_seq', '')}"
        self.emit(cid, "fill", o, price=decimal_text(msg["price"]), qty=qty, leaves=o["leaves"],
                  trade_id=zlib.crc32(key.encode()), ts=epoch_ns(msg.get("ts")))


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


CONTRACT_ENUMS = ("security_type", "exchange")  # SDK enums: their name ("TSE", "STK")
CONTRACT_FIELDS = ("target_code", "name", "category", "delivery_month", "delivery_date",
                   "update_date")
CONTRACT_INTS = ("unit", "multiplier")
CONTRACT_PRICES = ("reference", "limit_up", "limit_down")


def contract_line(code, contract):
    """@contract {json}: the fields of reference §2 the contract has ('' / 0 when absent)."""
    row = {"code": code}
    for name in CONTRACT_ENUMS:
        value = getattr(contract, name, "")
        row[name] = enum_name(value) if value not in (None, "") else ""
    for name in CONTRACT_FIELDS:
        value = getattr(contract, name, "")
        row[name] = str(value) if value is not None else ""
    for name in CONTRACT_INTS:
        try:
            row[name] = int(getattr(contract, name, 0) or 0)
        except (TypeError, ValueError):
            row[name] = 0
    for name in CONTRACT_PRICES:
        value = getattr(contract, name, None)
        row[name] = decimal_text(value) if value not in (None, "") else ""
    return "@contract " + json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_contracts(api, codes):
    out = sys.stdout
    for code in codes:
        contract = lookup(api, code)
        out.write(contract_line(code, contract) if contract is not None
                  else f"@contract_missing {code}\n")
    out.write(f"@contracts_done {len(codes)}\n")
    out.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--symbols", required=True, help="comma-separated codes, e.g. TXFR1,2330")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--simulation", dest="simulation", action="store_true", default=True)
    mode.add_argument("--production", dest="simulation", action="store_false")
    ap.add_argument("--orders", action="store_true",
                    help="read order lines on stdin and send them to the broker")
    ap.add_argument("--contracts", action="store_true",
                    help="write the configured codes' contract data (@contract lines) and exit")
    ap.add_argument("--position-check-s", type=float, default=0, metavar="S",
                    help="with --orders: write @positions (the broker's positions in the "
                         "configured codes) every S seconds; 0 = never")
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
    codes = [c for c in args.symbols.split(",") if c]
    if args.contracts:
        try:
            write_contracts(api, codes)
        finally:
            try:
                api.logout()
            except Exception:  # noqa: BLE001 - leaving anyway
                pass
        return 0
    if args.orders and not args.simulation:
        # Production orders need the CA certificate (reference §1); never log the password.
        ca_path = os.environ.get("SHIOAJI_CA_PATH", "")
        if not ca_path:
            log("production orders need the CA certificate: set shioaji.ca_path "
                "(HFT_SHIOAJI_CA_PATH) and SHIOAJI_CA_PASSWORD")
            return 2
        try:
            person_id = api.stock_account.person_id if api.stock_account is not None \
                else api.futopt_account.person_id
            api.activate_ca(ca_path=ca_path, ca_passwd=os.environ.get("SHIOAJI_CA_PASSWORD", ""),
                            person_id=person_id)
        except Exception as e:  # noqa: BLE001 - reported; orders would all fail without it
            log(f"activate_ca({ca_path}) failed: {type(e).__name__}")
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
    contracts, configured = [], {}  # configured: real code -> configured code (pitfall 17)
    for code in codes:
        contract = lookup(api, code)
        if contract is None:
            log(f"unknown contract code {code!r}: check `symbols` in the configuration")
            return 2
        target = getattr(contract, "target_code", "") or ""
        configured[target or code] = configured[code] = code
        contracts.append((code, contract, target))
    # The broker's contract data first (the engine takes the exchange's daily limits from it and
    # checks its specs), then the reconciliation, then quotes.
    for code, contract, _ in contracts:
        writer.put(contract_line(code, contract).encode())
    writer.put(f"@contracts_done {len(contracts)}\n".encode())
    stop = threading.Event()
    if args.orders:  # reconciled before any quote is subscribed
        Orders(sj, api, writer, stop.set).start(configured, args.position_check_s)
        log(f"orders: on ({'simulation' if args.simulation else 'PRODUCTION'})")
    for code, contract, target in contracts:
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

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(1.0):  # pitfall 1: callbacks run on SDK threads; stay alive
        pass
    writer.drain(1.0)
    try:
        api.logout()
    except Exception:  # noqa: BLE001 - leaving anyway
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
