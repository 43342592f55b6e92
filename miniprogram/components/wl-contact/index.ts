import { ACTION_LABELS } from '../../utils/labels';

/** 联系客服: opens WeChat's customer-service chat (`open-type="contact"`) wherever help is promised. */
Component({
  properties: {
    /** Why help is offered here, shown above the button ('' for none). */
    hint: { type: String, value: '' },
  },
  data: { label: ACTION_LABELS.contact },
});
