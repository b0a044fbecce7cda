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

Orders (reference §4.1-4.5): api.Order(...) with the constant enums, stock_account /
futopt_account, activate_ca, place_order / cancel_order / update_order returning a Trade(contract,
order, status), and set_order_callback(fn(stat, msg)): from its own thread, as the SDK does, the
order events (StockOrder / FuturesOrder: operation, order, status, contract) and deal events
(StockDeal / FuturesDeal) with the documented field names. Test controls:
  MOCK_SHIOAJI_ORDERS     fill (default: ack, then one deal for the whole quantity), partial (ack,
                          then a deal of 1 when the quantity is above 1), ack (ack only), reject
                          (order event with op_code "88"), failed (place_order returns a Trade
                          whose status is Failed, no event), raise (place_order raises)
  MOCK_SHIOAJI_CANCELS    ignore: cancel_order is recorded but never confirmed by an event
  MOCK_SHIOAJI_ORDER_LOG  a file that gets one JSON line per order call (the request as received)

What the broker had before this session (reference §4.3-4.4): update_status(account=, *, trade=),
list_trades() -> [Trade] and list_positions(account, unit) -> [StockPosition | FuturePosition],
seeded from
  MOCK_SHIOAJI_WORKING    JSON list of orders working at the broker, e.g. [{"code": "TXFD6",
                          "action": "Buy", "price": "23000", "qty": 2, "deal": 0, "cancel": 0,
                          "status": "Submitted"}] (deal, cancel and status optional); cancel_order
                          on one of them gives the documented Cancel order event. Timing, for
                          the events of an order placed elsewhere (all optional): "deal_after": S
                          -> a deal event of "deal_qty" (default 1) at its price S seconds after
                          the futures account's first list_positions() call (the reconciliation
                          has read list_trades and the positions by then: 0 is a deal between
                          the reconciliation and anything the engine does); "cancel_after": S
                          -> cancel_order's Cancel event comes S
                          seconds after the call instead of at once
  MOCK_SHIOAJI_POSITIONS  JSON list of positions, e.g. [{"code": "TXFD6", "direction": "Buy",
                          "quantity": 2, "price": "23010", "last": "23050"}] (last: the
                          last_price, default price); stocks go to the stock account,
                          the rest to the futopt account
  MOCK_SHIOAJI_RECONCILE  raise: list_positions raises (its message names the account)
list_positions adds the session's deals to the seeded positions, at once (before the deal event
reaches the callback, as a broker's books may), and from each account's second call on also
  MOCK_SHIOAJI_POSITION_DRIFT  JSON object code -> signed quantity, e.g. {"2330": 1}: a trade
                          made elsewhere after the session's start-up reconciliation
  MOCK_SHIOAJI_POSITIONS_AFTER  raise: list_positions raises from each account's second call on

  MOCK_SHIOAJI_CRASH      after_quotes: the process dies (exit status 3) after the quotes

Contracts (reference §2): 2330 and TXFR1 / TXFD6 with their documented fields;
  MOCK_SHIOAJI_CONTRACTS  JSON object code -> {field: value} changing some, e.g. {"2330":
                          {"unit": 1}} (prices as text); update_date is today's (Taipei)
"""

import itertools
import json
import os
import queue
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


class _Names:
    """A string enum stand-in: _Names("Buy", "Sell").Buy == "Buy"."""

    def __init__(self, *names):
        self.__dict__.update({n: n for n in names})


Action = _Names("Buy", "Sell")
StockPriceType = _Names("LMT", "MKT", "MKP")
FuturesPriceType = _Names("LMT", "MKT", "MKP")
OrderType = _Names("ROD", "IOC", "FOK")
StockOrderLot = _Names("Common", "Fixing", "Odd", "IntradayOdd")
StockOrderCond = _Names("Cash", "MarginTrading", "ShortSelling")
FuturesOCType = _Names("Auto", "New", "Cover", "DayTrade")
Unit = _Names("Common", "Share")


class OrderState:
    StockOrder = "SORDER"
    StockDeal = "SDEAL"
    FuturesOrder = "FORDER"
    FuturesDeal = "FDEAL"


class constant:  # noqa: N801 - the SDK's spelling
    QuoteType = QuoteType
    QuoteVersion = QuoteVersion
    Action = Action
    StockPriceType = StockPriceType
    FuturesPriceType = FuturesPriceType
    OrderType = OrderType
    StockOrderLot = StockOrderLot
    StockOrderCond = StockOrderCond
    FuturesOCType = FuturesOCType
    Unit = Unit
    OrderState = OrderState


class Contract:
    """The contract fields of reference §2 (1.x, with S1's security_type, multiplier and
    target_code); unused ones are '' or 0 as the SDK has them."""

    def __init__(self, code, security_type, target_code="", reference="0", **fields):
        self.code = code
        self.security_type = security_type
        self.target_code = target_code
        self.reference = Decimal(reference)
        self.exchange, self.symbol, self.name, self.category = "", "", "", ""
        self.unit, self.multiplier = 0, 0
        self.limit_up, self.limit_down = Decimal(0), Decimal(0)
        self.delivery_month, self.delivery_date, self.underlying_kind = "", "", ""
        self.update_date = _taipei_now().strftime("%Y/%m/%d")  # refreshed today
        for name, value in fields.items():
            setattr(self, name, Decimal(value) if name.startswith("limit_") else value)


class _Group(dict):
    pass


class _Contracts:
    def __init__(self):
        self.Stocks = _Group({"2330": Contract(
            "2330", "STK", reference="585", exchange="TSE", symbol="TSE2330", name="台積電",
            category="24", unit=1000, limit_up="643", limit_down="527")})
        txf = dict(exchange="TAIFEX", symbol="TXF202604", name="臺股期貨04", category="TXF",
                   unit=1, multiplier=200, limit_up="25300", limit_down="20700",
                   delivery_month="202604", delivery_date="2026/04/15", underlying_kind="I")
        self.Futures = _Group({
            "TXFR1": Contract("TXFR1", "FUT", target_code="TXFD6", reference="23000", **txf),
            "TXFD6": Contract("TXFD6", "FUT", reference="23000", **txf),
        })
        self.Options = _Group()
        # MOCK_SHIOAJI_CONTRACTS: {"2330": {"unit": 1}} changes fields of a contract.
        for code, fields in json.loads(os.environ.get("MOCK_SHIOAJI_CONTRACTS", "{}")).items():
            contract = self.Stocks.get(code) or self.Futures.get(code)
            for name, value in fields.items():
                setattr(contract, name,
                        Decimal(value) if name in ("reference", "limit_up", "limit_down")
                        else value)


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
        if os.environ.get("MOCK_SHIOAJI_CRASH") == "after_quotes":
            time.sleep(0.2)  # the quotes reach the engine; then the process dies as in a crash
            os._exit(3)


class Account(_Payload):
    pass


class Order(_Payload):
    pass


class OrderStatus(_Payload):
    pass


class Trade:
    def __init__(self, contract, order, status):
        self.contract, self.order, self.status = contract, order, status


class StockPosition(_Payload):
    pass


class FuturePosition(_Payload):
    pass


def _account_dict(account):
    return dict(account_type=account.account_type, person_id=account.person_id,
                broker_id=account.broker_id, account_id=account.account_id,
                signed=account.signed, username=account.username)


class _Broker:
    """Order calls -> events from one thread (the SDK's callback thread), in call order."""

    def __init__(self):
        self.callback = None
        self.events = queue.SimpleQueue()
        self.ids = itertools.count(1)
        self.deals = itertools.count(1)
        self.trades = []  # list_trades(): every Trade of the session, seeded ones first
        self.net = {}     # code -> signed quantity dealt in this session
        threading.Thread(target=self._deliver, daemon=True).start()

    def _deliver(self):
        while True:
            stat, msg = self.events.get()
            time.sleep(0.002)
            if self.callback is not None:
                self.callback(stat, msg)

    @staticmethod
    def record(call, **fields):
        path = os.environ.get("MOCK_SHIOAJI_ORDER_LOG")
        if path:
            with open(path, "a", encoding="utf-8") as f:
                f.write(json.dumps(dict(call=call, **fields), default=str) + "\n")

    def order_event(self, trade, op_type, op_code="00", op_msg="", cancel_quantity=0,
                    modified_price=0):
        o, c = trade.order, trade.contract
        stock = c.security_type == "STK"
        order = dict(id=o.id, seqno=o.seqno, ordno=o.ordno, account=_account_dict(o.account),
                     action=o.action, price=o.price, quantity=o.quantity,
                     order_type=o.order_type, price_type=o.price_type)
        if stock:
            order.update(order_cond=o.order_cond, order_lot=o.order_lot, custom_field="")
            contract = dict(security_type="STK", exchange="TSE", code=c.code,
                            symbol="TSE" + c.code, name=c.code, currency="TWD")
        else:
            order.update(market_type="Day", oc_type=o.octype, subaccount="", combo=False)
            contract = dict(security_type="FUT", code=c.code[:3], full_code=c.code,
                            exchange="TIM", delivery_month="202604", delivery_date="2026/04/15",
                            strike_price=0.0, option_right="Future")
        status = dict(id=o.id, exchange_ts=time.time(), modified_price=modified_price,
                      cancel_quantity=cancel_quantity, order_quantity=o.quantity, web_id="137")
        msg = dict(operation=dict(op_type=op_type, op_code=op_code, op_msg=op_msg), order=order,
                   status=status, contract=contract)
        self.events.put((OrderState.StockOrder if stock else OrderState.FuturesOrder, msg))

    def deal_event(self, trade, quantity):
        o, c = trade.order, trade.contract
        n = next(self.deals)
        deal = dict(trade_id=o.id, seqno=o.seqno, ordno=o.ordno[:5] + f"{n % 1000:03d}",
                    exchange_seq=f"{n:06d}", broker_id=o.account.broker_id,
                    account_id=o.account.account_id, action=o.action, code=c.code, price=o.price,
                    quantity=quantity, ts=int(time.time()))
        if c.security_type == "STK":
            deal.update(order_cond=o.order_cond, order_lot=o.order_lot, web_id="137",
                        custom_field="")
            topic = OrderState.StockDeal
        else:
            deal.update(code=c.code[:3], full_code=c.code, subaccount="", security_type="FUT",
                        delivery_month="202604", strike_price=0.0, option_right="Future",
                        market_type="Day", combo=False)
            topic = OrderState.FuturesDeal
        trade.status.deal_quantity += quantity
        sign = 1 if o.action == "Buy" else -1
        self.net[c.code] = self.net.get(c.code, 0) + sign * quantity
        self.events.put((topic, deal))

    def place(self, contract, order):
        behaviour = os.environ.get("MOCK_SHIOAJI_ORDERS", "fill")
        self.record("place_order", code=contract.code, **{
            k: v for k, v in order.__dict__.items() if k != "account"},
            account=order.account.account_type)
        if behaviour == "raise":
            raise RuntimeError("mock: place_order refused")
        trade = self.new_trade(contract, order)
        if behaviour == "failed":
            trade.status.status, trade.status.status_code = "Failed", "99"
            trade.status.msg = "mock: insufficient balance"
            return trade
        if behaviour == "reject":
            self.order_event(trade, "New", op_code="88", op_msg="mock: price out of range")
            return trade
        self.order_event(trade, "New")
        if behaviour == "fill":
            self.deal_event(trade, order.quantity)
        elif behaviour == "partial" and order.quantity > 1:
            self.deal_event(trade, 1)
        return trade

    def new_trade(self, contract, order, status="PendingSubmit"):
        n = next(self.ids)
        order.id = f"{0x531e2700 + n:08x}"
        order.seqno = f"{n:06d}"
        order.ordno = f"X{n:04d}"
        trade = Trade(contract, order, OrderStatus(
            id=order.id, status=status, status_code="00", order_datetime=_taipei_now(),
            web_id="137", msg="", modified_time=None, modified_price=0,
            order_quantity=order.quantity, deal_quantity=0, cancel_quantity=0, deals=[]))
        self.trades.append(trade)
        return trade

    def seed(self, api):
        """MOCK_SHIOAJI_WORKING: orders an earlier session left working at the broker."""
        for w in json.loads(os.environ.get("MOCK_SHIOAJI_WORKING", "[]")):
            contract = api.Contracts.Futures.get(w["code"]) or api.Contracts.Stocks[w["code"]]
            stock = contract.security_type == "STK"
            fields = dict(order_cond=StockOrderCond.Cash, order_lot=StockOrderLot.Common) \
                if stock else dict(octype=FuturesOCType.Auto)
            order = Order(price=Decimal(w["price"]), quantity=w["qty"], action=w["action"],
                          price_type="LMT", order_type="ROD",
                          account=api.stock_account if stock else api.futopt_account, **fields)
            trade = self.new_trade(contract, order, w.get("status", "Submitted"))
            trade.status.deal_quantity = w.get("deal", 0)
            trade.status.cancel_quantity = w.get("cancel", 0)
            trade.deal_after, trade.deal_qty = w.get("deal_after"), w.get("deal_qty", 1)
            trade.cancel_after = w.get("cancel_after")

    def cancel(self, trade):
        self.record("cancel_order", id=trade.order.id)
        if os.environ.get("MOCK_SHIOAJI_CANCELS") == "ignore":
            return trade  # a broker that never confirms the cancel
        delay = getattr(trade, "cancel_after", None)
        if delay is None:
            self.confirm_cancel(trade)
        else:
            threading.Timer(delay, self.confirm_cancel, (trade,)).start()
        return trade

    def confirm_cancel(self, trade):
        left = trade.order.quantity - trade.status.deal_quantity - trade.status.cancel_quantity
        trade.status.cancel_quantity += left
        self.order_event(trade, "Cancel", cancel_quantity=trade.status.cancel_quantity)

    def schedule_deals(self):
        """The seeded orders' deals ("deal_after"), once, timed from the reconciliation's
        last list_positions()."""
        for trade in self.trades:
            delay = getattr(trade, "deal_after", None)
            if delay is not None:
                trade.deal_after = None
                threading.Timer(delay, self.deal_event, (trade, trade.deal_qty)).start()

    def update(self, trade, price=None, qty=None):
        self.record("update_order", id=trade.order.id, price=price, qty=qty)
        if price is not None:
            trade.order.price = price
            self.order_event(trade, "UpdatePrice", modified_price=price)
        if qty is not None:
            trade.status.cancel_quantity += qty
            self.order_event(trade, "UpdateQty", cancel_quantity=trade.status.cancel_quantity)
        return trade


class Shioaji:
    def __init__(self, simulation=False, proxies=None, currency="NTD"):
        self.simulation = simulation
        self.Contracts = _Contracts()
        self.quote = _Quote()
        self.stock_account = Account(account_type="S", person_id="A123456789",
                                     broker_id="9A95", account_id="1234567", signed=True,
                                     username="mock")
        self.futopt_account = Account(account_type="F", person_id="A123456789",
                                      broker_id="F002000", account_id="7654321", signed=True,
                                      username="mock")
        self._broker = _Broker()
        self._broker.seed(self)
        self._position_calls = {}  # account type -> list_positions calls

    def login(self, api_key, secret_key, fetch_contract=True, contracts_timeout=0,
              contracts_cb=None, subscribe_trade=True, receive_window=30000):
        if not api_key or not secret_key:
            raise ValueError("api_key and secret_key are required")
        if os.environ.get("MOCK_SHIOAJI_LOGIN") == "451":
            raise RuntimeError("{'status_code': 451, 'detail': 'Too Many Connections.'}")
        return []

    def logout(self):
        return True

    def activate_ca(self, ca_path, ca_passwd, person_id):
        if not os.path.exists(ca_path) or not ca_passwd:
            raise ValueError("mock: certificate not found or no password")
        _Broker.record("activate_ca", ca_path=ca_path, person_id=person_id)
        return True

    def Order(self, price, quantity, action, price_type, order_type, account=None,  # noqa: N802
              **kwargs):
        return Order(price=price, quantity=quantity, action=action, price_type=price_type,
                     order_type=order_type, account=account, **kwargs)

    def set_order_callback(self, fn):
        self._broker.callback = fn

    def place_order(self, contract, order, timeout=5000, cb=None):
        return self._broker.place(contract, order)

    def cancel_order(self, trade, timeout=5000, cb=None):
        return self._broker.cancel(trade)

    def update_order(self, trade, price=None, qty=None, timeout=5000, cb=None):
        return self._broker.update(trade, price=price, qty=qty)

    def update_status(self, account=None, *, trade=None, timeout=5000, cb=None):
        if account is not None and not isinstance(account, Account):  # pitfall 22
            raise TypeError("update_status: account is not an Account (pass trade=...)")
        _Broker.record("update_status", account=account.account_type if account else None)

    def list_trades(self):
        return list(self._broker.trades)

    def list_positions(self, account=None, unit=Unit.Common, timeout=5000, cb=None):
        account = account or self.stock_account
        _Broker.record("list_positions", account=account.account_type, unit=unit)
        calls = self._position_calls[account.account_type] = \
            self._position_calls.get(account.account_type, 0) + 1
        if os.environ.get("MOCK_SHIOAJI_RECONCILE") == "raise" or (
                calls > 1 and os.environ.get("MOCK_SHIOAJI_POSITIONS_AFTER") == "raise"):
            raise RuntimeError(f"mock: positions of account {account.account_id} unavailable")
        stock = account.account_type == "S"
        net = {}  # code -> (signed quantity, price)
        last = {}  # code -> last price, when the test gives one
        for p in json.loads(os.environ.get("MOCK_SHIOAJI_POSITIONS", "[]")):
            sign = 1 if p["direction"] == "Buy" else -1
            net[p["code"]] = (sign * p["quantity"], Decimal(p["price"]))
            last[p["code"]] = Decimal(p.get("last", p["price"]))
        later = dict(self._broker.net)
        if calls > 1:
            for code, qty in json.loads(os.environ.get("MOCK_SHIOAJI_POSITION_DRIFT", "{}")).items():
                later[code] = later.get(code, 0) + qty
        for code, qty in later.items():
            old, price = net.get(code, (0, Decimal("0")))
            net[code] = (old + qty, price)
        out = []
        for n, (code, (qty, price)) in enumerate(net.items()):
            if (code in self.Contracts.Stocks) != stock or qty == 0:
                continue
            common = dict(id=n, code=code, direction="Buy" if qty > 0 else "Sell",
                          quantity=abs(qty), price=float(price),
                          last_price=float(last.get(code, price)), pnl=0.0)
            if stock:
                out.append(StockPosition(yd_quantity=abs(qty), cond=StockOrderCond.Cash,
                                         margin_purchase_amount=0, collateral=0,
                                         short_sale_margin=0, interest=0, **common))
            else:
                out.append(FuturePosition(**common))
        if account.account_type == "F":  # the reconciliation's last call: positions are read
            self._broker.schedule_deals()
        return out
