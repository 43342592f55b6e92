import { backendConfig } from './config';
import { handlePrivacyAuthorization } from './utils/privacy';

/** Global app data: nothing personal, nothing the pages could read from the server instead. */
App({
  onLaunch() {
    handlePrivacyAuthorization();
    // Base libraries before 2.2.3, or a WeChat without CloudBase, have no wx.cloud: the local mode still works.
    if (backendConfig.mode === 'cloudbase' && wx.cloud) {
      wx.cloud.init({ env: backendConfig.cloudEnv, traceUser: true });
    }
  },
});
