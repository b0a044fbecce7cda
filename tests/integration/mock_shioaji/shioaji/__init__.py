"""Stand-in for the Shioaji SDK (1.x surface) in tests: no network, no credentials checked.

It has what bridge/shioaji_bridge.py uses -- Shioaji(simulation), login/logout, Contracts.Stocks /
Futures / Options, quote.subscribe(..., version=v1), the quote.set_on_*_v1_callback setters and
set_event_callback -- and, once subscribed, calls the callbacks from its own thread with payload
objects carrying the fields of TickSTKv1 / BidAskSTKv1 / TickFOPv1 / BidAskFOPv1 exactly as the
reference (§3.3-3.7) lists them: Decimal prices, int volumes, naive Taipei datetimes.

The script, per round (MOCK_SHIOAJI_ROUNDS, default 50, every 5 ms): for every subscribed
contract a book and a tick. Futures quotes carry the real code of the continuous contract
(TXFR1 -> TXFD6, pitfall 17). Once, for stocks: a tick whose price has more decimals than the
stock's ladder allows (the engine must refuse it: bad_price), a trial-match tick (simtrade) and
an intraday odd-lot tick.
"""

import os
import threading
import time
from datetime import datetime, timedelta
from decimal import Decimal


class QuoteType:
    Tick = "tick"
    BidAsk = "bidask"
    Quote = "quote"


class QuoteVersion:
    v0 = "v0"
    v1 = "v1"


class constant:  # noqa: N801 - the SDK's spelling
    QuoteType = QuoteType
    QuoteVersion = QuoteVersion


class Contract:
    def __init__(self, code, security_type, target_code="", reference="0"):
        self.code = code
        self.security_type = security_type
        self.target_code = target_code
        self.reference = Decimal(reference)


class _Group(dict):
    pass


class _Contracts:
    def __init__(self):
        self.Stocks = _Group({"2330": Contract("2330", "STK", reference="585")})
        self.Futures = _Group({
            "TXFR1": Contract("TXFR1", "FUT", target_code="TXFD6", reference="23000"),
            "TXFD6": Contract("TXFD6", "FUT", reference="23000"),
        })
        self.Options = _Group()


class _Payload:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def _taipei_now():
    return datetime.utcnow() + timedelta(hours=8)


def tick_stk(code, close, volume, total, **extra):
    fields = dict(code=code, datetime=_taipei_now(), open=close, avg_price=close, close=close,
                  high=close, low=close, amount=close * volume, total_amount=close * total,
                  volume=volume, total_volume=total, tick_type=1, chg_type=2,
                  price_chg=Decimal("1"), pct_chg=Decimal("0.17"), bid_side_total_vol=10,
                  ask_side_total_vol=12, bid_side_total_cnt=3, ask_side_total_cnt=4,
                  closing_oddlot_shares=0, closing_oddlot_close=Decimal("0"),
                  closing_oddlot_amount=Decimal("0"), closing_oddlot_bid_price=Decimal("0"),
                  closing_oddlot_ask_price=Decimal("0"), fixed_trade_vol=0,
                  fixed_trade_amount=Decimal("0"), suspend=False, simtrade=False,
                  intraday_odd=False)
    fields.update(extra)
    return _Payload(**fields)


def bidask_stk(code, bid, ask, qty):
    return _Payload(code=code, datetime=_taipei_now(),
                    bid_price=[bid - i for i in range(5)], bid_volume=[qty] * 5,
                    diff_bid_vol=[0] * 5, ask_price=[ask + i for i in range(5)],
                    ask_volume=[qty] * 5, diff_ask_vol=[0] * 5, suspend=False, simtrade=False,
                    intraday_odd=False)


def tick_fop(code, close, volume, total):
    return _Payload(code=code, datetime=_taipei_now(), open=close, underlying_price=close,
                    bid_side_total_vol=10, ask_side_total_vol=12, avg_price=close, close=close,
                    high=close, low=close, amount=close * volume, total_amount=close * total,
                    volume=volume, total_volume=total, tick_type=2, chg_type=3,
                    price_chg=Decimal("0"), pct_chg=Decimal("0"), simtrade=False)


def bidask_fop(code, bid, ask, qty):
    return _Payload(code=code, datetime=_taipei_now(), bid_total_vol=5 * qty,
                    ask_total_vol=5 * qty, bid_price=[bid - i for i in range(5)],
                    bid_volume=[qty] * 5, diff_bid_vol=[0] * 5,
                    ask_price=[ask + i for i in range(5)], ask_volume=[qty] * 5,
                    diff_ask_vol=[0] * 5, first_derived_bid_price=Decimal("0"),
                    first_derived_ask_price=Decimal("0"), first_derived_bid_vol=0,
                    first_derived_ask_vol=0, underlying_price=bid, simtrade=False)


class _Quote:
    def __init__(self):
        self.callbacks = {}
        self.subscribed = []
        self._thread = None

    def __getattr__(self, name):
        # set_on_tick_stk_v1_callback(fn) and its five siblings
        if name.startswith("set_on_") and name.endswith("_v1_callback"):
            kind = name[len("set_on_"):-len("_v1_callback")]
            return lambda fn: self.callbacks.__setitem__(kind, fn)
        raise AttributeError(name)

    def set_event_callback(self, fn):
        self.callbacks["event"] = fn

    def subscribe(self, contract, quote_type=QuoteType.Tick, intraday_odd=False,
                  version=QuoteVersion.v0):
        if version != QuoteVersion.v1:
            raise ValueError("the mock serves v1 only (pitfall 16: the SDK default is v0)")
        self.subscribed.append((contract, quote_type))
        if self._thread is None:
            self._thread = threading.Thread(target=self._feed, daemon=True)
            self._thread.start()

    def _emit(self, kind, payload):
        self.callbacks[kind]("TSE" if kind.endswith("stk") else "TAIFEX", payload)

    def _feed(self):
        time.sleep(0.2)  # every subscription is in before the first quote
        if "event" in self.callbacks:
            self.callbacks["event"](0, 16, "Subscribe or Unsubscribe ok", "SUBSCRIBE")
        totals = {}
        for r in range(int(os.environ.get("MOCK_SHIOAJI_ROUNDS", "50"))):
            for contract, qt in list(self.subscribed):
                stock = contract.security_type == "STK"
                code = contract.target_code or contract.code
                mid = contract.reference + (r % 3)
                if qt == QuoteType.BidAsk:
                    make = bidask_stk if stock else bidask_fop
                    self._emit("bidask_stk" if stock else "bidask_fop", make(code, mid, mid + 1, 7))
                    continue
                totals[code] = totals.get(code, 0) + 2
                if stock:
                    self._emit("tick_stk", tick_stk(code, mid, 2, totals[code]))
                    if r == 3:
                        self._emit("tick_stk", tick_stk(code, mid + Decimal("0.125"), 1,
                                                        totals[code] + 1))
                        self._emit("tick_stk", tick_stk(code, mid, 5, 0, simtrade=True))
                        self._emit("tick_stk", tick_stk(code, mid, 300, 300, intraday_odd=True))
                else:
                    self._emit("tick_fop", tick_fop(code, mid, 2, totals[code]))
            time.sleep(0.005)


class Shioaji:
    def __init__(self, simulation=False, proxies=None, currency="NTD"):
        self.simulation = simulation
        self.Contracts = _Contracts()
        self.quote = _Quote()

    def login(self, api_key, secret_key, fetch_contract=True, contracts_timeout=0,
              contracts_cb=None, subscribe_trade=True, receive_window=30000):
        if not api_key or not secret_key:
            raise ValueError("api_key and secret_key are required")
        if os.environ.get("MOCK_SHIOAJI_LOGIN") == "451":
            raise RuntimeError("{'status_code': 451, 'detail': 'Too Many Connections.'}")
        return []

    def logout(self):
        return True
