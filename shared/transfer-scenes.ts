/**
 * WeChat Pay 商家转账 scenes the product knows: for each scene id, the `info_type`s its
 * `transfer_scene_report_infos` must carry (exactly these, each once) and the `user_recv_perception`
 * values allowed. The payout start (through the merchant profile) and the local sandbox both check against
 * this one table, and the sandbox answers as WeChat does: PARAM_ERROR 未传入完整且对应的转账场景报备信息 for
 * the wrong report infos, INVALID_REQUEST 暂不支持展示当前传入的用户收款感知 for a perception the scene does
 * not allow. Sources: WeChat Pay's 现金营销 page (1000: 活动名称 + 奖励说明; 现金奖励 or 活动奖励, default
 * 活动奖励); 1005's info types from its page, its perceptions from merchants' reports (劳务报酬 / 报酬) and
 * not confirmed by a stored official page — a lender confirms them with WeChat Pay. No lending scene is
 * published: a lender must have its scene approved by WeChat Pay and add it here with the info types
 * WeChat fixes for it.
 */
export const TRANSFER_SCENES: Readonly<
  Record<string, { name: string; infoTypes: readonly string[]; perceptions: readonly string[] }>
> = {
  '1000': { name: '现金营销', infoTypes: ['活动名称', '奖励说明'], perceptions: ['活动奖励', '现金奖励'] },
  '1005': { name: '佣金报酬', infoTypes: ['岗位类型', '报酬说明'], perceptions: ['劳务报酬', '报酬'] },
};

/** How WeChat refuses a scene / report-info / perception combination. */
export interface SceneReportProblem {
  code: 'PARAM_ERROR' | 'INVALID_REQUEST';
  message: string;
}

/** Why a scene / report-info / perception combination would be refused; undefined when WeChat accepts it. */
export function sceneReportProblem(
  sceneId: string,
  infos: ReadonlyArray<{ info_type: string }>,
  perception?: string,
): SceneReportProblem | undefined {
  const scene = TRANSFER_SCENES[sceneId];
  if (!scene)
    return {
      code: 'PARAM_ERROR',
      message: `transfer scene ${sceneId} is not in the scenes table (shared/transfer-scenes.ts)`,
    };
  const given = infos.map((info) => info.info_type);
  const expected = [...scene.infoTypes];
  if (given.length !== expected.length || [...given].sort().join('|') !== expected.sort().join('|'))
    return {
      code: 'PARAM_ERROR',
      message: `未传入完整且对应的转账场景报备信息，请根据接口文档检查 (scene ${sceneId} ${scene.name} requires transfer_scene_report_infos ${scene.infoTypes.join(' + ')}, got ${given.join(' + ') || 'none'})`,
    };
  if (perception !== undefined && !scene.perceptions.includes(perception))
    return {
      code: 'INVALID_REQUEST',
      message: `暂不支持展示当前传入的用户收款感知 (scene ${sceneId} ${scene.name} allows user_recv_perception ${scene.perceptions.join(' / ')}, got ${perception})`,
    };
  return undefined;
}
