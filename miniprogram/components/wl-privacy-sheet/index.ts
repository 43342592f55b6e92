import { PRIVACY_AGREE_BUTTON_ID, type PrivacyResolve } from '../../utils/privacy';

/** The pending resolve lives outside `data`: it is a function, never rendered. */
const pending = new WeakMap<object, PrivacyResolve>();

/** Our privacy notice, shown when WeChat asks for consent before a privacy API (utils/privacy.ts). */
Component({
  data: {
    visible: false,
    agreeButtonId: PRIVACY_AGREE_BUTTON_ID,
  },
  methods: {
    /** Called by the app-level listener with WeChat's resolve. */
    open(resolve: PrivacyResolve) {
      pending.set(this, resolve);
      this.setData({ visible: true });
    },
    /** `bindagreeprivacyauthorization` of the agree button: WeChat has seen the tap. */
    onAgree() {
      this.finish({ event: 'agree', buttonId: PRIVACY_AGREE_BUTTON_ID });
    },
    onDisagree() {
      this.finish({ event: 'disagree' });
    },
    onOpenContract() {
      (wx as unknown as { openPrivacyContract?: (o: object) => void }).openPrivacyContract?.({});
    },
    finish(resolution: Parameters<PrivacyResolve>[0]) {
      const resolve = pending.get(this);
      pending.delete(this);
      this.setData({ visible: false });
      resolve?.(resolution);
    },
  },
});
