// Deploy from Node.js with hako's API: show the plan, then deploy. Without `awsFor`, hako builds AWS clients the
// way the CLI does (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL…); `awsFor: lazyAwsFor({ region, profile })` chooses.
import { deploy, planDeploy, renderPlan, RecordingIoHost } from 'hako-ecs';

export async function deployWithPlan(file, tag) {
  const io = new RecordingIoHost(); // keeps hako's messages; any { notify, result, status } object will do
  const { displayPlan } = await planDeploy({ source: { file }, io, tag, dryRun: true });
  const plan = renderPlan(displayPlan, { color: false }); // provider values masked, as `hako diff` prints them
  await deploy({ source: { file }, io, tag }); // waits for the rollout; rolls back and throws if it fails
  return { plan, messages: io.lines };
}
