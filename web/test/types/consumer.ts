// A page's TypeScript against the kit's shipped declarations (`npm run typetest`, in `npm test`;
// the packed-kit test compiles it again from a clean folder). Each `@ts-expect-error` plants a
// mistake the types must catch: were the types loose enough to let it through, the directive
// itself would be the error and the test would fail.
import * as lib from "lightweight-charts";
import {
  ChartController, OutsideBarsWarning, fetchBars, parseCommands, syncContext,
  type Bar, type BarsResponse, type ChartActionResponse, type ClearTarget, type Point,
  type Timeframe, type UpdateContextResponse, type Verb,
} from "@chart-control/web-kit";

export async function page(element: HTMLElement): Promise<void> {
  const chart = lib.createChart(element, { autoSize: true });
  const candles = chart.addSeries(lib.CandlestickSeries);
  const controller = new ChartController(chart, candles, lib, {
    barsUrl: "/api/chatkit/bars",
    onBars: (bars: Bar[], context) => { const frame: Timeframe | undefined = context.timeframe; void frame; void bars; },
    onError: (error) => { if (error instanceof OutsideBarsWarning) console.warn(error.prices, error.times); },
  });
  // @ts-expect-error  chart and series swapped
  new ChartController(candles, chart, lib);
  // @ts-expect-error  not a chart
  new ChartController({}, candles, lib);
  // @ts-expect-error  the library module is required (the kit adds its line series with it)
  new ChartController(chart, candles);

  controller.clear("LEVELS");
  controller.clear("INDICATOR", "RSI");
  // @ts-expect-error  a misspelt CLEAR target
  controller.clear("LEVLES");
  // @ts-expect-error  not an indicator
  controller.clear("INDICATOR", "SMMA");
  const target: ClearTarget = "FIBONACCI";
  controller.clear(target);

  const answer: BarsResponse = await fetchBars("/api/chatkit/bars", "TSLA", "1H");
  candles.setData(answer.bars); // the kit's bars are Lightweight Charts' candlestick data
  const data: lib.CandlestickData<lib.UTCTimestamp>[] = answer.bars;
  controller.setBars(answer.bars, { symbol: "TSLA", timeframe: "1H", sample: answer.market_data.sample });
  // @ts-expect-error  no such timeframe
  controller.setBars(data, { timeframe: "2D" });
  // @ts-expect-error  no such timeframe
  await fetchBars("/api/chatkit/bars", "TSLA", "2D");
  // @ts-expect-error  a bar's time is unix seconds, not a date string
  const wrong: Bar = { time: "2025-01-02", open: 1, high: 2, low: 0.5, close: 1.5 };
  void wrong;
  const point: Point = { time: answer.bars[0].time, value: 1 };
  void point;
  await controller.show({ symbol: "NVDA", timeframe: "1W" });
  // @ts-expect-error  no such timeframe
  await controller.show({ timeframe: "2D" });

  const sync = syncContext({ url: "/api/chatkit/update-context" });
  const stored = await sync.update({ symbol: "TSLA", timeframe: "1D" });
  if (stored?.success) {
    const kept: UpdateContextResponse = stored; // narrowed by `success`
    void kept.chart_context.seq;
  }
  // @ts-expect-error  no such timeframe
  await sync.update({ symbol: "TSLA", timeframe: "daily" });

  const response = (await (await fetch("/api/chatkit/chart-action")).json()) as ChartActionResponse;
  const lines: string[] = controller.execute(response);
  void lines;
  const levels: number[] | undefined = response.data.levels?.support;
  void levels;
  // @ts-expect-error  the response's commands are `chart_commands`
  void response.commands;
  const verbs: Verb[] = parseCommands(response).map((command) => command.verb);
  void verbs;
  // @ts-expect-error  not a verb
  const verb: Verb = "SUPORT";
  void verb;
}
