"""The planner's symbol tables: names people type -> our symbols, and words that are not tickers.

Decisions, so the tables stay consistent:
- Indices and commodities named in words map to the ETF that tracks them, because every market
  data provider can chart an ETF but few serve index or futures series: "S&P 500", "spx" ->
  SPY; "nasdaq", "ndx" -> QQQ; "dow" -> DIA; "russell" -> IWM; "gold" -> GLD; "oil" -> USO.
  The exception is the VIX, which no plain ETF tracks (-> ^VIX). An explicit ticker such as
  ^GSPC or ES=F is always taken as written.
- Crypto maps to the dollar pair: "bitcoin", "btc", "$BTC", "BTCUSD", "btc/usd" -> BTC-USD.
- Lower-case text maps only through `NAMES` (company names plus the tickers in
  `LOWERCASE_TICKERS`, which are not English words), so "draw support" never yields a ticker.
- Words that are also tickers (NOW, LOW, ALL, ON, IT, OPEN...) count only as a cashtag or by
  company name ("servicenow", "lowe's").
"""

from __future__ import annotations

# Company, fund and coin names (lower case, as typed) -> symbol. Multi-word names are fine.
COMPANY_NAMES: dict[str, str] = {
    # Mega caps and the most-traded US stocks
    "tesla": "TSLA", "apple": "AAPL", "microsoft": "MSFT", "nvidia": "NVDA", "amazon": "AMZN",
    "google": "GOOGL", "alphabet": "GOOGL", "meta": "META", "meta platforms": "META",
    "facebook": "META", "netflix": "NFLX", "amd": "AMD", "advanced micro devices": "AMD",
    "intel": "INTC", "palantir": "PLTR", "coinbase": "COIN", "jpmorgan": "JPM",
    "jp morgan": "JPM", "jpmorgan chase": "JPM", "berkshire": "BRK.B",
    "berkshire hathaway": "BRK.B", "brk.b": "BRK.B", "brk-b": "BRK.B", "brk/b": "BRK.B",
    "brkb": "BRK.B", "walmart": "WMT", "disney": "DIS", "boeing": "BA",
    "bank of america": "BAC", "bofa": "BAC", "home depot": "HD", "lowe's": "LOW",
    "lowes": "LOW", "coca cola": "KO", "coca-cola": "KO", "coke": "KO", "pepsi": "PEP",
    "pepsico": "PEP", "mcdonalds": "MCD", "mcdonald's": "MCD", "nike": "NKE",
    "starbucks": "SBUX", "chipotle": "CMG", "visa": "V", "mastercard": "MA", "paypal": "PYPL",
    "salesforce": "CRM", "oracle": "ORCL", "adobe": "ADBE", "ibm": "IBM", "cisco": "CSCO",
    "qualcomm": "QCOM", "broadcom": "AVGO", "micron": "MU", "texas instruments": "TXN",
    "applied materials": "AMAT", "lam research": "LRCX", "asml": "ASML",
    "taiwan semiconductor": "TSM", "tsmc": "TSM", "arm holdings": "ARM", "super micro": "SMCI",
    "supermicro": "SMCI", "super micro computer": "SMCI", "dell": "DELL", "hp inc": "HPQ",
    "hewlett packard": "HPQ", "uber": "UBER", "lyft": "LYFT", "airbnb": "ABNB",
    "doordash": "DASH", "shopify": "SHOP", "spotify": "SPOT", "snowflake": "SNOW",
    "crowdstrike": "CRWD", "palo alto networks": "PANW", "palo alto": "PANW",
    "servicenow": "NOW", "zoom video": "ZM", "robinhood": "HOOD", "sofi": "SOFI",
    "rivian": "RIVN", "lucid": "LCID", "lucid motors": "LCID", "nio": "NIO", "ford": "F",
    "general motors": "GM", "exxon": "XOM", "exxonmobil": "XOM", "exxon mobil": "XOM",
    "chevron": "CVX", "occidental": "OXY", "pfizer": "PFE", "moderna": "MRNA",
    "johnson & johnson": "JNJ", "johnson and johnson": "JNJ", "eli lilly": "LLY",
    "lilly": "LLY", "novo nordisk": "NVO", "unitedhealth": "UNH", "united health": "UNH",
    "merck": "MRK", "abbvie": "ABBV", "cvs": "CVS", "walgreens": "WBA", "costco": "COST",
    "goldman sachs": "GS", "goldman": "GS", "morgan stanley": "MS", "wells fargo": "WFC",
    "citigroup": "C", "citi": "C", "american express": "AXP", "amex": "AXP", "at&t": "T",
    "verizon": "VZ", "t-mobile": "TMUS", "comcast": "CMCSA", "caterpillar": "CAT",
    "3m company": "MMM", "lockheed martin": "LMT", "lockheed": "LMT", "raytheon": "RTX",
    "general electric": "GE", "philip morris": "PM", "procter & gamble": "PG",
    "procter and gamble": "PG", "gamestop": "GME", "amc": "AMC", "alibaba": "BABA",
    "baidu": "BIDU", "microstrategy": "MSTR", "marathon digital": "MARA",
    "riot platforms": "RIOT", "draftkings": "DKNG", "roblox": "RBLX", "snapchat": "SNAP",
    "pinterest": "PINS", "reddit": "RDDT", "carvana": "CVNA", "lululemon": "LULU",
    "delta air lines": "DAL", "american airlines": "AAL", "carnival": "CCL",
    "rocket lab": "RKLB", "soundhound": "SOUN", "ionq": "IONQ", "opendoor": "OPEN",
    "plug power": "PLUG", "nokia": "NOK",
    # Indices and asset classes -> the ETF that tracks them (see the module docstring)
    "s&p 500": "SPY", "s&p500": "SPY", "s&p": "SPY", "sp500": "SPY", "sp 500": "SPY",
    "the s&p": "SPY", "nasdaq": "QQQ", "nasdaq 100": "QQQ", "nasdaq-100": "QQQ", "dow": "DIA",
    "dow jones": "DIA", "russell 2000": "IWM", "russell": "IWM", "small caps": "IWM",
    "gold": "GLD", "silver": "SLV",
    "oil": "USO", "crude": "USO", "crude oil": "USO", "natural gas": "UNG", "bonds": "TLT",
    "treasuries": "TLT", "semiconductors": "SMH", "semis": "SMH",
    # Crypto -> the dollar pair
    "bitcoin": "BTC-USD", "btc": "BTC-USD", "ethereum": "ETH-USD", "ether": "ETH-USD",
    "eth": "ETH-USD", "solana": "SOL-USD", "sol": "SOL-USD", "dogecoin": "DOGE-USD",
    "doge": "DOGE-USD", "xrp": "XRP-USD", "ripple": "XRP-USD", "cardano": "ADA-USD",
    "litecoin": "LTC-USD", "ltc": "LTC-USD", "chainlink": "LINK-USD", "avalanche": "AVAX-USD",
    "avax": "AVAX-USD", "polkadot": "DOT-USD", "shiba inu": "SHIB-USD", "shib": "SHIB-USD",
    "bnb": "BNB-USD", "binance coin": "BNB-USD",
    # Futures roots that are no word in lower case ("es" is Spanish, "cl" and "gc" too short)
    "nq": "NQ=F", "mnq": "MNQ=F",
}  # fmt: skip

# Index tickers people write bare or as cashtags ("SPX", "$NDX") -> what we chart (see above).
INDEX_TICKERS: dict[str, str] = {
    "SPX": "SPY", "NDX": "QQQ", "DJI": "DIA", "DJIA": "DIA", "RUT": "IWM", "VIX": "^VIX",
}  # fmt: skip
# In lower case too, except "rut", which is a word.
COMPANY_NAMES.update({t.lower(): s for t, s in INDEX_TICKERS.items() if t != "RUT"})

# Tickers also recognised in lower case ("tsla", "spy"): none of them is an English word.
LOWERCASE_TICKERS = frozenset(
    """
    TSLA AAPL MSFT NVDA AMZN GOOGL GOOG NFLX INTC PLTR JPM WMT BAC NKE SBUX PYPL CRM ORCL
    ADBE CSCO QCOM AVGO TSM SMCI ABNB CRWD RIVN LCID XOM CVX PFE MRNA JNJ LLY UNH MRK ABBV
    WFC AXP TMUS CMCSA LMT GME BABA BIDU MSTR HPQ PANW DKNG RBLX RDDT CVNA TXN AMAT LRCX
    SPY QQQ IWM DIA VOO VTI TQQQ SQQQ SOXL SOXS ARKK XLF XLE XLK GLD SLV TLT USO UVXY
    """.split()
)

# Popular tickers: accepted in a query typed all in capitals, and preferred over unknown tokens.
POPULAR_TICKERS = LOWERCASE_TICKERS | frozenset(
    """
    AMD IBM NIO UBER LYFT DELL SHOP SPOT SNOW HOOD SOFI COIN DIS KO PEP MCD HD BA GS MS
    GM GE CAT MU ARM DASH ZM SNAP PINS COST TGT MARA RIOT SOUN IONQ RKLB HIMS AAL DAL CCL
    PLUG NOK LULU CMG SMH ASML NVO CVS WBA VZ MMM RTX PG OXY BRK.B SPXL XLV XLY XLI XLP XLU
    EEM EFA HYG LQD GDX UNG IBIT
    """.split()
)

# Upper-case futures roots traders write bare ("ES", "/NQ") -> the continuous contract.
FUTURES_ROOTS: dict[str, str] = {
    root: f"{root}=F" for root in ("ES", "NQ", "YM", "RTY", "MES", "MNQ", "CL", "GC", "NG")
}

# Coin tickers that mean the dollar pair when written as a ticker or cashtag ("ADA", "$SOL").
CRYPTO_BASES = frozenset(
    "BTC ETH SOL DOGE XRP ADA LTC LINK AVAX DOT SHIB BNB MATIC TRX TON SUI PEPE".split()
)

# Single letters are tickers only as a cashtag, by name, or right after "load"/"chart" & co.
SINGLE_LETTER_TICKERS = frozenset("FTVC")

# Upper-case tokens of two to five letters that are words, jargon or abbreviations, never
# tickers on their own (longer unknown tokens are rejected anyway: US tickers have <= 5 letters).
NOT_TICKERS = frozenset(
    """
    AM AN AS AT BE BY DO GO HE IF IN IS IT ME MY NO OF OH OK ON OR SO TO UP US WE YA YO
    ALL AND ANY ARE BUT CAN DID FOR GET GOT HAS HAD HER HIM HIS HOW ITS LET MAY NOT NOW OFF
    OLD ONE OUR OUT OWN SAY SEE SHE THE TOO TRY TWO USE WAS WAY WHO WHY YES YET YOU ALSO
    BEEN BOTH EACH EVEN EVER FROM GIVE GOOD HAVE HERE INTO JUST KEEP KNOW LAST LIKE LOOK MAKE
    MANY MORE MOST MUCH MUST NEED NEXT ONLY OVER SAME SOME SUCH SURE TAKE THAN THAT THEM THEN
    THEY THIS VERY WANT WELL WERE WHAT WHEN WILL WITH WORK YOUR ABOUT AFTER AGAIN BEING COULD
    EVERY FIRST GOING MIGHT NEVER OTHER RIGHT SHALL STILL THEIR THERE THESE THING THINK THOSE
    TODAY UNTIL WHERE WHICH WHILE WOULD DOES DONE DONT CANT WONT ISNT AINT YALL GONNA WANNA
    PLS PLZ THX TY YEP NOPE HEY HI HELLO THANK WOW OMG LOL LMAO ROFL WTF BTW FYI IMO IMHO TBH
    IDK NGL ASAP TLDR RIP GG GL GN AKA ETC VS NEW BIG HUGE REAL TRUE FALSE BEST WORST NFA
    LFG NGMI WAGMI GTFO FTW IRL TIL AMA ICYMI OKAY COOL NICE BRO DUDE GUYS LMK FAST SLOW EASY
    HARD WAIT ALERT WATCH LIST SCAN DATA INFO ASK TELL SAID SAYS TALK MEAN READ CHECK LETS
    GOTTA HOLY DAMN CRAP SHIT FUCK HELL GOD KEY APE APES BAG BAGS
    HELP SHOW DRAW LOAD PLOT ADD SET PUT FIND OPEN CLOSE CLEAR RESET UNDO ZOOM PULL SWAP MOVE
    SCALE CHART GRAPH VIEW PAGE SCREEN LEVEL LINE LINES RAY ZONE ZONES AREA BOX MARK LABEL
    TREND FIB FIBS CROSS BREAK RANGE SETUP TRADE ENTRY STOP LIMIT ORDER FILL PRICE STOCK
    SHARE BARS BAR CANDLE WICK BODY GAP GAPS TOP TOPS BASE FLAG CUP HEAD NECK WEDGE
    HIGH HIGHS LOW LOWS PEAK DIP DIPS RALLY CRASH DROP FALL RISE PUMP DUMP MOON BULL BEAR
    LONG SHORT CALL CALLS PUTS BUY SELL HOLD EXIT GAIN GAINS LOSS RISK SAFE SWING SCALP RUN
    GREEN RED FLAT ABOVE BELOW UNDER NEAR DOWN HOLD CASH DEBT NEWS MIN MINS HR HRS DAY DAYS
    WEEK WEEKS MONTH YEAR YEARS HOUR DAILY TIME TF HTF LTF MTF EOD EOW EOM EOY YTD QTD MTD
    WTD QOQ YOY HOD LOD ATH ATL PT SL TP RR BE DD TA FA SR SNR HS HH HL LH LL BOS FVG OB POC
    VAH VAL RSI MACD EMA SMA WMA HMA MA MAS EMAS SMAS VWAP TWAP ATR ADX DMI OBV MFI CCI BB
    BOLL KC SAR PSAR STOCH KDJ ROC MOM VOL IV OI DTE ITM OTM ATM LEAPS CSP CC DCA HODL FUD
    FOMO YOLO WSB REKT PNL ROI ROE EPS PE PEG GAAP EBIT CAGR DCF NAV AUM IPO SPAC REIT ETF
    ETFS ETN OTC NYSE CBOE CME SEC FED FOMC CPI PPI GDP NFP PCE JOLTS ECB BOJ BOE IMF OPEC
    USD EUR JPY GBP CAD AUD CHF CNY HKD USDT USDC FX FOREX CFD CEO CFO CTO COO AI ML LLM GPT
    API URL PDF CSV JSON HTTP UI UX BOT APP PC TV USA UK EU UN NYC LA SF NY TX CA ET EST EDT
    PST PDT CT CST UTC GMT CET AH PM RTH PDT MON TUE TUES WED THU THUR FRI SAT SUN JAN FEB
    MAR APR JUN JUL AUG SEP SEPT OCT NOV DEC EV EVS SI DOT TOS
    """.split()
)

# Lower-case trader jargon and trading platforms: the context of a request ("support for
# intraday", "levels on tradingview"), never a symbol. A platform that is also a listed
# company ("robinhood" is HOOD) is the platform only after "on"/"in"/"using"/"via"/"with";
# "levels for robinhood" still loads HOOD.
TRADING_JARGON = frozenset(
    """
    intraday intraweek daytrading daytrade daytrades daytrader daytraders swingtrading
    swingtrade swingtrades swingtrader swingtraders scalping scalper scalpers scalps
    premarket postmarket afterhours overnight extended rth
    tradingview thinkorswim tos robinhood webull etrade tastytrade tastyworks ninjatrader
    metatrader tradestation tradovate fidelity moomoo
    """.split()
)
