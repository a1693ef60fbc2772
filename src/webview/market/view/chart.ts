/**
 * Candles and volume with TradingView's lightweight-charts (v5): the whole history with setData,
 * then each stream candle with update() (the last bar replaced or appended, never a redraw of the
 * series), a price line per open order and a marker per bar with own fills. The library's own
 * attribution logo is off because it injects an unnonced <style> the CSP blocks; the panel's footer
 * shows the "Charts by TradingView" link instead, and the NOTICE text ships in
 * THIRD_PARTY_NOTICES.md.
 */
import {
  AutoscaleInfo,
  CandlestickData,
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  HistogramData,
  HistogramSeries,
  IChartApi,
  IPriceLine,
  ISeriesApi,
  ISeriesMarkersPluginApi,
  LineStyle,
  MouseEventParams,
  SeriesMarker,
  Time,
  UTCTimestamp,
} from 'lightweight-charts';
import type { Order } from '../../../core/api';
import type { Kline } from '../../../core/market/marketEvents';
import { chartTime, FillMark, orderLine, OrderLine } from '../model/chartMarks';
import { withAlpha } from '../model/color';
import { groupThousands } from '../../../app/format';
import type { SymbolPlaces } from '../model/format';
import type { ThemeColors } from './theme';

export interface ChartDebugState {
  bars: number;
  lastBar?: { time: number; open: number; high: number; low: number; close: number };
  priceLines: { orderId: number; price: number; title: string; color: string }[];
  markers: { time: number; text: string; position: string; shape: string }[];
  colors: { background: string; text: string; up: string; down: string };
}

export class PriceChart {
  readonly #chart: IChartApi;
  readonly #candles: ISeriesApi<'Candlestick'>;
  readonly #volume: ISeriesApi<'Histogram'>;
  readonly #markers: ISeriesMarkersPluginApi<Time>;
  readonly #lines = new Map<number, { line: IPriceLine; spec: OrderLine }>();
  #colors: ThemeColors;
  #bars = 0;

  constructor(container: HTMLElement, colors: ThemeColors, onPickPrice: (price: number) => void) {
    this.#colors = colors;
    this.#chart = createChart(container, {
      autoSize: true,
      layout: { attributionLogo: false },
      rightPriceScale: { borderVisible: true },
      // A few bars of room on the right: the last candle and its marker text are not cut by the scale.
      timeScale: { borderVisible: true, timeVisible: true, secondsVisible: false, rightOffset: 6 },
      crosshair: { mode: 0 },
    });
    this.#candles = this.#chart.addSeries(CandlestickSeries, {
      priceLineVisible: true,
      // The price scale also spans the open orders, so their lines are on screen, not above it.
      autoscaleInfoProvider: (original: () => AutoscaleInfo | null) => {
        const info = original();
        if (!info?.priceRange || this.#lines.size === 0) return info;
        const prices = [...this.#lines.values()].map(({ spec }) => Number(spec.price));
        return {
          ...info,
          priceRange: {
            minValue: Math.min(info.priceRange.minValue, ...prices),
            maxValue: Math.max(info.priceRange.maxValue, ...prices),
          },
        };
      },
    });
    // Volume on its own overlay scale, squeezed into the bottom fifth under the candles.
    this.#volume = this.#chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.#chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.#candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.24 } });
    this.#markers = createSeriesMarkers(this.#candles, []);
    this.#chart.subscribeClick((param: MouseEventParams) => {
      if (!param.point) return;
      const price = this.#candles.coordinateToPrice(param.point.y);
      if (price !== null && Number.isFinite(price) && price > 0) onPickPrice(price);
    });
    this.applyTheme(colors);
  }

  /** The symbol's tick: the axis and the crosshair label snap to it. */
  setPlaces(places: SymbolPlaces, tickSize: string): void {
    this.#candles.applyOptions({
      priceFormat: { type: 'price', precision: places.price, minMove: Number(tickSize) },
    });
    // Axis and crosshair labels grouped like every other number of the panel.
    this.#chart.applyOptions({
      localization: { priceFormatter: (price: number) => groupThousands(price.toFixed(places.price)) },
    });
  }

  setInterval(interval: string): void {
    this.#chart.applyOptions({ timeScale: { secondsVisible: interval === '1s' } });
  }

  setBars(klines: readonly Kline[]): void {
    this.#candles.setData(klines.map((k) => candle(k)));
    this.#volume.setData(klines.map((k) => this.#volumeBar(k)));
    this.#bars = klines.length;
  }

  /** One stream candle: replaces the bar with its time or appends (historical: an older bar). */
  updateBar(kline: Kline, appended: boolean, historical: boolean): void {
    this.#candles.update(candle(kline), historical);
    this.#volume.update(this.#volumeBar(kline), historical);
    if (appended) this.#bars++;
  }

  /** Adds, moves and removes price lines so that there is exactly one per open order. */
  setOrders(orders: readonly Order[], places: SymbolPlaces): void {
    const wanted = new Map<number, OrderLine>();
    for (const order of orders) {
      const spec = orderLine(order, places);
      if (spec) wanted.set(spec.orderId, spec);
    }
    for (const [orderId, { line }] of this.#lines) {
      if (wanted.has(orderId)) continue;
      this.#candles.removePriceLine(line);
      this.#lines.delete(orderId);
    }
    for (const spec of wanted.values()) {
      const existing = this.#lines.get(spec.orderId);
      if (existing) {
        if (existing.spec.price !== spec.price || existing.spec.title !== spec.title) {
          existing.line.applyOptions({ price: Number(spec.price), title: spec.title });
          existing.spec = spec;
        }
        continue;
      }
      const line = this.#candles.createPriceLine({
        price: Number(spec.price),
        color: this.#sideColor(spec.side),
        lineWidth: 1,
        lineStyle: LineStyle.Dashed,
        axisLabelVisible: true,
        title: spec.title,
      });
      this.#lines.set(spec.orderId, { line, spec });
    }
  }

  setFills(marks: readonly FillMark[]): void {
    this.#markers.setMarkers(marks.map((m) => this.#marker(m)));
  }

  applyTheme(colors: ThemeColors): void {
    this.#colors = colors;
    const highContrast = colors.kind.startsWith('high-contrast');
    this.#chart.applyOptions({
      layout: {
        background: { type: ColorType.Solid, color: colors.background },
        textColor: colors.foreground,
        fontFamily: colors.fontFamily,
        fontSize: Math.round(colors.fontSize * 0.9),
      },
      grid: {
        vertLines: { color: withAlpha(colors.grid, highContrast ? 0.35 : 0.6) },
        horzLines: { color: withAlpha(colors.grid, highContrast ? 0.35 : 0.6) },
      },
      rightPriceScale: { borderColor: colors.border },
      timeScale: { borderColor: colors.border },
      crosshair: {
        vertLine: { color: colors.muted, labelBackgroundColor: colors.muted },
        horzLine: { color: colors.muted, labelBackgroundColor: colors.muted },
      },
    });
    // Hollow-looking falling candles would need a fill colour per theme; solid bodies with a
    // visible border in both colours stay distinguishable in high contrast as well.
    this.#candles.applyOptions({
      upColor: colors.up,
      downColor: colors.down,
      borderUpColor: colors.up,
      borderDownColor: colors.down,
      wickUpColor: colors.up,
      wickDownColor: colors.down,
    });
    for (const { line, spec } of this.#lines.values()) line.applyOptions({ color: this.#sideColor(spec.side) });
    // Volume colours are per bar: re-set them from the bars the series holds.
    const volume = this.#volume.data() as HistogramData<Time>[];
    const candles = this.#candles.data() as CandlestickData<Time>[];
    if (volume.length === candles.length && volume.length > 0)
      this.#volume.setData(
        volume.map((v, i) => ({ ...v, color: this.#volumeColor(candles[i].close >= candles[i].open) })),
      );
    this.#markers.setMarkers(
      this.#markers
        .markers()
        .map((m) => ({ ...m, color: this.#sideColor(m.position === 'belowBar' ? 'BUY' : 'SELL') })),
    );
  }

  debugState(): ChartDebugState {
    const data = this.#candles.data() as CandlestickData<Time>[];
    const last = data[data.length - 1];
    const options = this.#chart.options();
    const background = options.layout.background;
    return {
      bars: this.#bars,
      ...(last
        ? {
            lastBar: { time: last.time as number, open: last.open, high: last.high, low: last.low, close: last.close },
          }
        : {}),
      priceLines: [...this.#lines.entries()].map(([orderId, { line }]) => {
        const o = line.options();
        return { orderId, price: o.price, title: o.title, color: o.color };
      }),
      markers: this.#markers.markers().map((m) => ({
        time: m.time as number,
        text: m.text ?? '',
        position: m.position,
        shape: m.shape,
      })),
      colors: {
        background: background.type === ColorType.Solid ? background.color : '',
        text: options.layout.textColor,
        up: this.#candles.options().upColor,
        down: this.#candles.options().downColor,
      },
    };
  }

  dispose(): void {
    this.#chart.remove();
  }

  #marker(mark: FillMark): SeriesMarker<Time> {
    const buy = mark.side === 'BUY';
    return {
      time: mark.time as UTCTimestamp,
      position: buy ? 'belowBar' : 'aboveBar',
      shape: buy ? 'arrowUp' : 'arrowDown',
      color: this.#sideColor(mark.side),
      text: mark.text,
    };
  }

  #volumeBar(k: Kline): HistogramData<Time> {
    return {
      time: chartTime(k.openTime) as UTCTimestamp,
      value: Number(k.volume),
      color: this.#volumeColor(Number(k.close) >= Number(k.open)),
    };
  }

  #volumeColor(up: boolean): string {
    return withAlpha(up ? this.#colors.up : this.#colors.down, 0.45);
  }

  #sideColor(side: 'BUY' | 'SELL'): string {
    return side === 'BUY' ? this.#colors.up : this.#colors.down;
  }
}

function candle(k: Kline): CandlestickData<Time> {
  return {
    time: chartTime(k.openTime) as UTCTimestamp,
    open: Number(k.open),
    high: Number(k.high),
    low: Number(k.low),
    close: Number(k.close),
  };
}
