/**
 * kwok's configuration for the test cluster: how fake pods move through their lives, and where their logs come
 * from. Without pod Stages kwok uses its built-in "fast" ones (pods Running at once; pods owned by a Job Succeeded
 * with exit code 0 at once). These are those, with two changes that tests need:
 *
 * - run-to-completion pods (`restartPolicy` Never or OnFailure, which includes every Job's pods; not only pods
 *   owned by a Job) terminate with the exit code in the annotation `kwok.hako.test/exit-code` (default 0): phase
 *   Succeeded for 0, Failed otherwise, and `state.terminated.exitCode`/`reason` on every container;
 * - they finish after the duration in `kwok.hako.test/run-duration` (a Go duration such as `3s`, default at once).
 *
 * Long-running pods (`restartPolicy` Always: Deployments) stay Running and Ready until deleted. Pods on the fake
 * node never run anything: the image is not pulled and the command is not run. Container logs are served by kwok
 * (through the API server's pods/log) from one CRI-format file for every pod and container.
 */
export const EXIT_CODE_ANNOTATION = 'kwok.hako.test/exit-code';
export const RUN_DURATION_ANNOTATION = 'kwok.hako.test/run-duration';

export function kwokConfig(podLogFile: string): string {
  return `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-ready
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.podIP'
      operator: 'DoesNotExist'
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: Initialized
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: Ready
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: ContainersReady
      {{ range .spec.readinessGates }}
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: {{ .conditionType | Quote }}
      {{ end }}
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: true
        restartCount: 0
        started: true
        state:
          running:
            startedAt: {{ $now | Quote }}
      {{ end }}
      initContainerStatuses:
      {{ range .spec.initContainers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: true
        restartCount: 0
        state:
          terminated:
            exitCode: 0
            finishedAt: {{ $now | Quote }}
            reason: Completed
            startedAt: {{ $now | Quote }}
      {{ end }}
      hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
      podIP: {{ PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) | Quote }}
      phase: Running
      startTime: {{ $now | Quote }}
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-complete
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values: ['Running']
    - key: '.spec.restartPolicy'
      operator: 'In'
      values: ['Never', 'OnFailure']
  delay:
    durationMilliseconds: 0
    durationFrom:
      expressionFrom: '.metadata.annotations["${RUN_DURATION_ANNOTATION}"]'
  next:
    statusTemplate: |
      {{ $now := Now }}
      {{ $annotations := or .metadata.annotations dict }}
      {{ $code := or ( index $annotations "${EXIT_CODE_ANNOTATION}" ) "0" }}
      {{ $ok := eq $code "0" }}
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: false
        restartCount: 0
        started: false
        state:
          terminated:
            exitCode: {{ $code }}
            finishedAt: {{ $now | Quote }}
            reason: {{ if $ok }}Completed{{ else }}Error{{ end }}
            startedAt: {{ $now | Quote }}
      {{ end }}
      phase: {{ if $ok }}Succeeded{{ else }}Failed{{ end }}
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-delete
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'Exists'
  next:
    finalizers:
      empty: true
    delete: true
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: all-pods
spec:
  logs:
  - logsFile: ${JSON.stringify(podLogFile)}
    follow: true
`;
}

/** One line of a CRI container log (what kwok reads from the pod log file). */
export function criLogLine(message: string, stream: 'stdout' | 'stderr' = 'stdout', at = new Date()): string {
  return `${at.toISOString()} ${stream} F ${message}\n`;
}
