// The props every step screen takes (issue 12): the state as a screen may see it — no effects, the
// new credential without its secret (App passes `viewOf(state)`) — and the way to answer.
import type { EventBody, ViewState } from '../src/wizard/state.js';

export interface StepProps {
  state: ViewState;
  dispatch: (e: EventBody) => void;
}
