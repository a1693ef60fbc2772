/**
 * The order ticket. Every keystroke re-runs the core ticket model (core/market/ticket.ts: the same
 * exact-decimal filter rules the extension checks before sending), and each field shows its own
 * problems with the suggested value as a one-click fix (or Ctrl+. in the field) that changes only
 * that field. Test and Place send exactly the order the model produced. A read-only panel (Live,
 * no key) keeps the ticket visible but disabled, with the reason.
 */
import type { OrderSide, OrderType } from '../../../core/api';
import { evaluateTicket, TicketField, TicketState } from '../../../core/market/ticket';
import type { TicketHints } from '../../../core/market/ticketHints';
import { generateClientOrderId } from '../../../core/orderIds';
import { groupThousands } from '../../../app/format';
import type { PanelModel } from '../model/panelModel';
import { draftType, emptyDraft, ticketInput, ticketTypes } from '../model/ticketDraft';
import type { NewOrderParams } from '../../../core/api';
import type { OrderResultMessage, TicketDraft } from '../protocol';
import { el, setAttr, setText } from './dom';

/** A vscode-elements control, as far as the ticket uses it. */
type Control = HTMLElement & { value: string; disabled: boolean; invalid?: boolean; label?: string };

type EditableField = 'price' | 'stopPrice' | 'amount';

interface FieldParts {
  box: HTMLElement;
  control: Control;
  name: string;
  error: HTMLElement;
  message: HTMLElement;
  fix: HTMLElement;
  suggestion?: string;
}

export interface TicketCallbacks {
  send(kind: 'test' | 'place', params: NewOrderParams, clientOrderId: string): void;
  /** The draft changed (to keep it in the webview state). */
  changed(draft: TicketDraft): void;
}

/** How long the buttons wait for the host's answer before they work again with a warning. */
const ANSWER_TIMEOUT_MS = 60_000;

export class OrderTicket {
  readonly root: HTMLElement;
  readonly #cb: TicketCallbacks;
  #draft: TicketDraft;
  #model: PanelModel | undefined;
  #state: TicketState | undefined;
  readonly #sideGroup: HTMLElement;
  readonly #sides: Record<OrderSide, Control & { checked: boolean }>;
  readonly #type: Control;
  readonly #typeBox: HTMLElement;
  readonly #fields: Record<EditableField, FieldParts>;
  readonly #amountUnit: Control;
  readonly #tif: Control;
  readonly #tifBox: HTMLElement;
  readonly #hints = el('dl', { class: 'hints', 'data-testid': 'ticket-hints' });
  readonly #warnings = el('ul', { class: 'warnings', 'data-testid': 'ticket-warnings' });
  readonly #formErrors = el('ul', { class: 'form-errors', 'data-testid': 'ticket-form-errors' });
  readonly #readOnly = el('p', { class: 'read-only', 'data-testid': 'ticket-read-only', hidden: true });
  readonly #testButton: Control;
  readonly #placeButton: Control;
  readonly #result = el('p', {
    class: 'result',
    role: 'status',
    'aria-live': 'polite',
    'data-testid': 'ticket-result',
  });
  #pending: { clientOrderId: string; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(draft: TicketDraft | undefined, callbacks: TicketCallbacks) {
    this.#cb = callbacks;
    this.#draft = draft ?? emptyDraft();

    const sideLabel = el('vscode-label', { id: 'ticket-side-label' }, 'Side');
    this.#sides = {
      BUY: el('vscode-radio', { name: 'side', value: 'BUY', 'data-testid': 'ticket-side-buy' }, 'Buy') as never,
      SELL: el('vscode-radio', { name: 'side', value: 'SELL', 'data-testid': 'ticket-side-sell' }, 'Sell') as never,
    };
    this.#sideGroup = el(
      'vscode-radio-group',
      { 'aria-labelledby': 'ticket-side-label', 'data-testid': 'ticket-side' },
      this.#sides.BUY,
      this.#sides.SELL,
    );
    const readSide = (): void => {
      const side: OrderSide = this.#sides.SELL.checked ? 'SELL' : 'BUY';
      if (side !== this.#draft.side) this.#edit({ side });
    };
    this.#sideGroup.addEventListener('change', readSide);
    // The group checks a radio on arrow keys without a change event; its own handler runs first.
    this.#sideGroup.addEventListener('keydown', readSide);

    this.#type = el('vscode-single-select', { id: 'ticket-type', 'data-testid': 'ticket-type' }) as Control;
    this.#type.label = 'Order type';
    this.#type.addEventListener('change', () => this.#edit({ type: this.#type.value }));
    this.#typeBox = this.#box('type', 'Type', this.#type);

    this.#fields = {
      price: this.#textField('price', 'Price'),
      stopPrice: this.#textField('stopPrice', 'Stop price'),
      amount: this.#textField('amount', 'Amount'),
    };
    this.#amountUnit = el('vscode-single-select', { class: 'unit', 'data-testid': 'ticket-amount-unit' }) as Control;
    this.#amountUnit.label = 'Amount unit';
    this.#amountUnit.addEventListener('change', () =>
      this.#edit({ amountIn: this.#amountUnit.value === 'quote' ? 'quote' : 'base' }),
    );
    this.#fields.amount.control.after(this.#amountUnit);

    this.#tif = el(
      'vscode-single-select',
      { id: 'ticket-tif', 'data-testid': 'ticket-tif' },
      ...['GTC', 'IOC', 'FOK'].map((v) => el('vscode-option', { value: v, description: tifHelp(v) }, v)),
    ) as Control;
    this.#tif.label = 'Time in force';
    this.#tif.addEventListener('change', () => this.#edit({ timeInForce: this.#tif.value }));
    this.#tifBox = this.#box('timeInForce', 'Time in force', this.#tif);

    this.#testButton = el('vscode-button', { secondary: true, 'data-testid': 'ticket-test' }, 'Test order') as Control;
    this.#placeButton = el('vscode-button', { 'data-testid': 'ticket-place' }, 'Place order') as Control;
    this.#testButton.addEventListener('click', () => this.#send('test'));
    this.#placeButton.addEventListener('click', () => this.#send('place'));

    this.root = el(
      'section',
      { class: 'panel-ticket', 'aria-labelledby': 'ticket-title', 'data-testid': 'ticket' },
      el('h2', { id: 'ticket-title' }, 'Order ticket'),
      this.#readOnly,
      el('div', { class: 'field side' }, sideLabel, this.#sideGroup),
      this.#typeBox,
      this.#fields.stopPrice.box,
      this.#fields.price.box,
      this.#fields.amount.box,
      this.#tifBox,
      this.#formErrors,
      this.#hints,
      this.#warnings,
      el('div', { class: 'actions' }, this.#testButton, this.#placeButton),
      this.#result,
    );
  }

  get draft(): TicketDraft {
    return { ...this.#draft };
  }

  /** The order the ticket would send now, and each field's state (for tests and the debug hook). */
  get state(): TicketState | undefined {
    return this.#state;
  }

  /** A new snapshot: the symbol's types and assets, read-only or not. Keeps what was typed. */
  setModel(model: PanelModel): void {
    this.#model = model;
    const symbol = model.symbol!;
    const types = ticketTypes(symbol);
    this.#type.replaceChildren(
      ...types.map((t) => el('vscode-option', { value: t, description: typeHelp(t) }, t.replace(/_/g, ' '))),
    );
    this.#amountUnit.replaceChildren(
      el('vscode-option', { value: 'base' }, symbol.baseAsset),
      el('vscode-option', { value: 'quote' }, symbol.quoteAsset),
    );
    setText(this.#labelOf('price'), `Price (${symbol.quoteAsset})`);
    setText(this.#labelOf('stopPrice'), `Stop price (${symbol.quoteAsset})`);
    this.#draft = { ...this.#draft, type: draftType(this.#draft, symbol) };
    const readOnly = model.readOnly;
    this.#readOnly.hidden = !readOnly;
    setText(this.#readOnly, readOnly ? (model.readOnlyReason ?? 'This panel is read-only.') : '');
    for (const control of [this.#type, this.#amountUnit, this.#tif, this.#sideGroup as Control, ...this.#controls()])
      control.disabled = readOnly;
    for (const radio of Object.values(this.#sides)) radio.disabled = readOnly;
    this.#writeControls();
    this.refresh();
  }

  /** Sets the price (a ladder row or a chart click), as the user would type it. */
  setPrice(price: string): void {
    if (!this.#model || this.#model.readOnly) return;
    this.#fields.price.control.value = price;
    this.#edit({ price });
  }

  /** Re-evaluates with the market's latest numbers (best prices, balances, open orders). */
  refresh(): void {
    if (!this.#model?.symbol) return;
    this.#state = evaluateTicket(ticketInput(this.#draft, this.#model));
    this.#render(this.#state);
  }

  /** The host answered a test or place: say so (the status region is polite) and re-enable the buttons. */
  answered(result: OrderResultMessage): void {
    if (result.action === 'cancel') {
      setText(this.#result, result.message);
      return;
    }
    if (this.#pending && result.clientOrderId === this.#pending.clientOrderId) {
      clearTimeout(this.#pending.timer);
      this.#pending = undefined;
    }
    setAttr(this.#result, 'data-ok', String(result.ok));
    setText(this.#result, result.message);
    this.refresh();
  }

  #send(kind: 'test' | 'place'): void {
    if (this.#pending || !this.#model || this.#model.readOnly) return;
    this.refresh();
    const order = this.#state?.order;
    if (!order) {
      setAttr(this.#result, 'data-ok', 'false');
      setText(this.#result, 'Not sent: fix the fields marked above first.');
      this.#focusFirstError();
      return;
    }
    const clientOrderId = generateClientOrderId();
    this.#pending = {
      clientOrderId,
      timer: setTimeout(() => {
        this.#pending = undefined;
        setAttr(this.#result, 'data-ok', 'false');
        setText(this.#result, 'No answer from the extension. Check the open orders before sending again.');
        this.refresh();
      }, ANSWER_TIMEOUT_MS),
    };
    setAttr(this.#result, 'data-ok', undefined);
    setText(this.#result, kind === 'test' ? 'Testing the order…' : 'Placing the order…');
    this.refresh();
    this.#cb.send(kind, order, clientOrderId);
  }

  #edit(change: Partial<TicketDraft>): void {
    this.#draft = { ...this.#draft, ...change };
    this.#cb.changed(this.draft);
    this.refresh();
  }

  #render(state: TicketState): void {
    const model = this.#model!;
    const symbol = model.symbol!;
    const readOnly = model.readOnly;
    const uses = (field: TicketField): boolean => state.fields[field].status !== 'unused';
    this.#fields.price.box.hidden = !uses('price');
    this.#fields.stopPrice.box.hidden = !uses('stopPrice');
    this.#tifBox.hidden = !uses('timeInForce');
    setText(
      this.#labelOf('amount'),
      `Amount (${this.#draft.amountIn === 'quote' ? symbol.quoteAsset : symbol.baseAsset})`,
    );
    for (const field of ['price', 'stopPrice', 'amount'] as const) this.#renderField(field, state);
    const typeState = state.fields.type;
    setAttr(this.#typeBox, 'data-status', typeState.status);

    this.#formErrors.replaceChildren(...state.formErrors.map((e) => el('li', {}, e)));
    this.#warnings.replaceChildren(...state.hints.warnings.map((w) => el('li', {}, w)));
    this.#renderHints(state.hints);

    const side = this.#draft.side;
    setText(this.#placeButton, `${side === 'BUY' ? 'Buy' : 'Sell'} ${symbol.baseAsset}`);
    setAttr(this.#placeButton, 'aria-label', `Place ${side === 'BUY' ? 'buy' : 'sell'} order for ${symbol.baseAsset}`);
    setAttr(this.#placeButton, 'data-side', side);
    const canSend = !readOnly && this.#pending === undefined;
    // The buttons stay enabled with an invalid ticket: pressing them says what to fix (a disabled
    // button says nothing and cannot be reached by Tab).
    this.#testButton.disabled = !canSend;
    this.#placeButton.disabled = !canSend;
  }

  #renderField(field: EditableField, state: TicketState): void {
    const parts = this.#fields[field];
    const f = state.fields[field];
    const showError = f.status === 'error' || f.status === 'pending';
    parts.error.hidden = !showError;
    setAttr(parts.error, 'data-status', f.status);
    setText(parts.message, showError ? f.messages.join(' ') : '');
    parts.suggestion = f.status === 'error' ? f.suggestion : undefined;
    parts.fix.hidden = parts.suggestion === undefined;
    if (parts.suggestion !== undefined) {
      setText(parts.fix, `Use ${parts.suggestion}`);
      setAttr(parts.fix, 'aria-label', `Set ${parts.name.toLowerCase()} to ${parts.suggestion} (Ctrl+.)`);
    }
    const invalid = f.status === 'error';
    if (parts.control.invalid !== invalid) parts.control.invalid = invalid;
    // The error is part of the field's accessible name: ARIA references cannot reach into the
    // textfield's shadow DOM, the label property can.
    const label = `${this.#labelOf(field).textContent ?? parts.name}${showError ? `. ${f.messages.join(' ')}${parts.suggestion !== undefined ? ` Suggested: ${parts.suggestion}, Ctrl+. applies it.` : ''}` : ''}`;
    if (parts.control.label !== label) parts.control.label = label;
  }

  #renderHints(h: TicketHints): void {
    const rows: [string, string][] = [];
    const q = (v: string): string => groupThousands(v);
    if (h.tickSize) rows.push(['Tick size', `${h.tickSize} ${h.quoteAsset}`]);
    if (h.stepSize) rows.push(['Step size', `${h.stepSize} ${h.baseAsset}`]);
    if (h.minNotional) rows.push(['Minimum value', `${q(h.minNotional)} ${h.quoteAsset}`]);
    rows.push([`Free ${h.spendAsset}`, q(h.freeBalance)]);
    if (h.estimatedQuantity && this.#draft.amountIn === 'quote')
      rows.push(['Estimated amount', `${q(h.estimatedQuantity)} ${h.baseAsset}`]);
    if (h.estimatedNotional) rows.push(['Estimated value', `${q(h.estimatedNotional)} ${h.quoteAsset}`]);
    if (h.estimatedFee)
      rows.push([
        `Estimated fee (${h.feeRole === 'taker?' ? 'taker, if it trades at once' : h.feeRole})`,
        `${q(h.estimatedFee)} ${h.feeAsset}`,
      ]);
    this.#hints.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-hint': k }, v)]));
  }

  #writeControls(): void {
    const d = this.#draft;
    this.#sides.BUY.checked = d.side === 'BUY';
    this.#sides.SELL.checked = d.side === 'SELL';
    this.#type.value = d.type;
    this.#fields.price.control.value = d.price;
    this.#fields.stopPrice.control.value = d.stopPrice;
    this.#fields.amount.control.value = d.amount;
    this.#amountUnit.value = d.amountIn;
    this.#tif.value = d.timeInForce;
  }

  #controls(): Control[] {
    return [this.#fields.price.control, this.#fields.stopPrice.control, this.#fields.amount.control];
  }

  #applyFix(field: EditableField): void {
    const suggestion = this.#fields[field].suggestion;
    if (suggestion === undefined || this.#model?.readOnly) return;
    this.#fields[field].control.value = suggestion;
    this.#edit({ [field]: suggestion });
  }

  #focusFirstError(): void {
    for (const field of ['stopPrice', 'price', 'amount'] as const) {
      if (!this.#fields[field].error.hidden) {
        this.#fields[field].control.focus();
        return;
      }
    }
  }

  #labelOf(field: EditableField): HTMLElement {
    return this.#fields[field].box.querySelector('vscode-label') as HTMLElement;
  }

  #box(field: string, name: string, control: HTMLElement): HTMLElement {
    const label = el('vscode-label', {}, name);
    label.addEventListener('click', () => control.focus());
    return el('div', { class: `field ${field}`, 'data-field': field }, label, el('div', { class: 'control' }, control));
  }

  #textField(field: EditableField, name: string): FieldParts {
    const control = el('vscode-textfield', {
      id: `ticket-${field}`,
      'data-testid': `ticket-${field}`,
      inputmode: 'decimal',
      autocomplete: 'off',
      placeholder: field === 'amount' ? '0' : '',
    }) as Control;
    control.label = name;
    control.addEventListener('input', () => this.#edit({ [field]: control.value }));
    control.addEventListener('keydown', (event: KeyboardEvent) => {
      if (event.ctrlKey && event.key === '.') {
        event.preventDefault();
        this.#applyFix(field);
      }
    });
    const message = el('span', { class: 'message', 'data-testid': `ticket-${field}-error` });
    const fix = el('vscode-button', {
      secondary: true,
      class: 'fix',
      hidden: true,
      'data-testid': `ticket-${field}-fix`,
      'aria-keyshortcuts': 'Control+Period',
    });
    fix.addEventListener('click', () => this.#applyFix(field));
    const error = el('div', { class: 'field-error', hidden: true }, message, fix);
    const box = this.#box(field, name, control);
    box.append(error);
    return { box, control, name, error, message, fix };
  }
}

function typeHelp(type: OrderType): string {
  switch (type) {
    case 'LIMIT':
      return 'At your price or better';
    case 'MARKET':
      return 'Now, at the best available price';
    case 'LIMIT_MAKER':
      return 'Post-only: rejected if it would trade at once';
    case 'STOP_LOSS_LIMIT':
    case 'TAKE_PROFIT_LIMIT':
      return 'A limit order placed when the stop price is reached';
    case 'STOP_LOSS':
    case 'TAKE_PROFIT':
      return 'A market order placed when the stop price is reached';
  }
}

function tifHelp(tif: string): string {
  return tif === 'GTC' ? 'Good till cancelled' : tif === 'IOC' ? 'Immediate or cancel' : 'Fill or kill';
}
