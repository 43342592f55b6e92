/**
 * WeChat Pay 商家转账 scenes the product knows: for each scene id, the `info_type`s its
 * `transfer_scene_report_infos` must carry (exactly these, each once) and the `user_recv_perception`
 * values allowed. WeChat answers PARAM_ERROR for any other pair; the payout start (through the merchant
 * profile) and the local sandbox both check against this one table. No lending scene is published: a lender
 * must have its scene approved by WeChat Pay and add it here with the info types WeChat fixes for it.
 */
export const TRANSFER_SCENES: Readonly<
  Record<string, { name: string; infoTypes: readonly string[]; perceptions: readonly string[] }>
> = {
  '1000': { name: '现金营销', infoTypes: ['活动名称', '奖励说明'], perceptions: ['活动奖励', '现金奖励'] },
  '1005': { name: '佣金报酬', infoTypes: ['岗位类型', '报酬说明'], perceptions: ['劳务报酬', '报酬'] },
};

/** Why a scene / report-info / perception combination would be refused; undefined when WeChat accepts it. */
export function sceneReportProblem(
  sceneId: string,
  infos: ReadonlyArray<{ info_type: string }>,
  perception?: string,
): string | undefined {
  const scene = TRANSFER_SCENES[sceneId];
  if (!scene) return `transfer scene ${sceneId} is not in the scenes table (shared/transfer-scenes.ts)`;
  const given = infos.map((info) => info.info_type);
  const expected = [...scene.infoTypes];
  if (given.length !== expected.length || [...given].sort().join('|') !== expected.sort().join('|'))
    return `scene ${sceneId} (${scene.name}) requires transfer_scene_report_infos ${scene.infoTypes.join(' + ')}, got ${given.join(' + ') || 'none'}`;
  if (perception !== undefined && !scene.perceptions.includes(perception))
    return `scene ${sceneId} (${scene.name}) allows user_recv_perception ${scene.perceptions.join(' / ')}, got ${perception}`;
  return undefined;
}
