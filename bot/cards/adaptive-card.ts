/**
 * The part of the Adaptive Card 1.5 schema that Madoguchi's cards use, typed so that
 * a misspelt property or an unknown enum value fails to compile. Property names and
 * values follow https://adaptivecards.io/explorer/ (schema 1.5, as Teams renders it).
 */

export type Spacing = 'none' | 'small' | 'default' | 'medium' | 'large' | 'extraLarge' | 'padding';
export type TextColor = 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';
export type TextSize = 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
export type TextWeight = 'lighter' | 'default' | 'bolder';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
export type HorizontalAlignment = 'left' | 'center' | 'right';
export type VerticalAlignment = 'top' | 'center' | 'bottom';
export type ActionStyle = 'default' | 'positive' | 'destructive';

interface ElementBase {
  id?: string;
  spacing?: Spacing;
  separator?: boolean;
  isVisible?: boolean;
}

export interface TextBlock extends ElementBase {
  type: 'TextBlock';
  /** Rendered as Adaptive Card markdown: escape anything a person typed. */
  text: string;
  wrap?: boolean;
  size?: TextSize;
  weight?: TextWeight;
  color?: TextColor;
  isSubtle?: boolean;
  maxLines?: number;
  horizontalAlignment?: HorizontalAlignment;
  style?: 'default' | 'heading';
}

export interface Fact {
  /** Rendered as markdown in Teams. */
  title: string;
  /** Rendered as markdown in Teams. */
  value: string;
}

export interface FactSet extends ElementBase {
  type: 'FactSet';
  facts: Fact[];
}

export interface Container extends ElementBase {
  type: 'Container';
  items: CardElement[];
  style?: ContainerStyle;
  bleed?: boolean;
  verticalContentAlignment?: VerticalAlignment;
  selectAction?: ExecuteAction | OpenUrlAction;
}

export interface Column {
  type: 'Column';
  items: CardElement[];
  /** `auto`, `stretch`, a weight (number) or pixels (`"50px"`). */
  width?: 'auto' | 'stretch' | number | `${number}px`;
  style?: ContainerStyle;
  verticalContentAlignment?: VerticalAlignment;
  spacing?: Spacing;
  separator?: boolean;
}

export interface ColumnSet extends ElementBase {
  type: 'ColumnSet';
  columns: Column[];
  style?: ContainerStyle;
}

export interface ActionSet extends ElementBase {
  type: 'ActionSet';
  actions: CardAction[];
}

interface InputBase extends ElementBase {
  /** Inputs must have an id; its value is merged into the action's data under it. */
  id: string;
  label?: string;
  isRequired?: boolean;
  errorMessage?: string;
}

export interface TextInput extends InputBase {
  type: 'Input.Text';
  /** Not rendered as markdown: the value is shown as typed. */
  value?: string;
  placeholder?: string;
  isMultiline?: boolean;
  maxLength?: number;
  style?: 'text' | 'tel' | 'url' | 'email';
  regex?: string;
}

export interface NumberInput extends InputBase {
  type: 'Input.Number';
  value?: number;
  placeholder?: string;
  min?: number;
  max?: number;
}

export interface Choice {
  title: string;
  value: string;
}

export interface ChoiceSetInput extends InputBase {
  type: 'Input.ChoiceSet';
  choices: Choice[];
  value?: string;
  placeholder?: string;
  style?: 'compact' | 'expanded';
  isMultiSelect?: boolean;
  wrap?: boolean;
}

export interface ToggleInput extends InputBase {
  type: 'Input.Toggle';
  title: string;
  value?: string;
  valueOn?: string;
  valueOff?: string;
  wrap?: boolean;
}

export type Input = TextInput | NumberInput | ChoiceSetInput | ToggleInput;
export type CardElement = TextBlock | FactSet | Container | ColumnSet | ActionSet | Input;

/** Values a card sends back with an action (inputs are merged into it by the client). */
export type ActionData = Record<string, string | number | boolean | null>;

interface ActionBase {
  title: string;
  id?: string;
  style?: ActionStyle;
  tooltip?: string;
}

/** Universal Action: Teams sends an `adaptiveCard/action` invoke to the bot. */
export interface ExecuteAction extends ActionBase {
  type: 'Action.Execute';
  verb: string;
  data?: ActionData;
  /** `auto` (default) validates and sends the inputs; `none` sends none. */
  associatedInputs?: 'auto' | 'none';
}

export interface ShowCardAction extends ActionBase {
  type: 'Action.ShowCard';
  card: SubCard;
}

export interface OpenUrlAction extends ActionBase {
  type: 'Action.OpenUrl';
  url: string;
}

export type CardAction = ExecuteAction | ShowCardAction | OpenUrlAction;

/** The card inside an Action.ShowCard: no version, schema or refresh of its own. */
export interface SubCard {
  type: 'AdaptiveCard';
  body: CardElement[];
  actions?: CardAction[];
}

export interface Refresh {
  action: ExecuteAction;
  /** Teams refreshes the card automatically for these users (at most 60). */
  userIds: string[];
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.5';
  body: CardElement[];
  actions?: CardAction[];
  refresh?: Refresh;
  fallbackText?: string;
  /** Shown in notifications and chat lists. */
  speak?: string;
}

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json' as const;
export const CARD_VERSION = '1.5' as const;

/** A card shell with the schema and version every Madoguchi card uses. */
export function card(
  body: CardElement[],
  extra: Pick<AdaptiveCard, 'actions' | 'refresh' | 'fallbackText' | 'speak'> = {},
): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, body, ...extra };
}

/** The attachment content type for Adaptive Cards, e.g. in an invoke response. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive' as const;
