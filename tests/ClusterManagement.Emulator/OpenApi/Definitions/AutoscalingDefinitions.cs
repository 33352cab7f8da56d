namespace ClusterManagement.Emulator.OpenApi.Definitions;

/// <summary>autoscaling/v2 and autoscaling/v1 HorizontalPodAutoscalers, from the Kubernetes API reference (v1.32).</summary>
public static class AutoscalingDefinitions
{
    public const string Text = """
        package io.k8s.api.autoscaling.v2
        HorizontalPodAutoscaler kind=autoscaling/v2 | HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler, which automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified.
          spec HorizontalPodAutoscalerSpec | spec is the specification for the behaviour of the autoscaler.
          status HorizontalPodAutoscalerStatus | status is the current information about the autoscaler.
        HorizontalPodAutoscalerSpec | HorizontalPodAutoscalerSpec describes the desired functionality of the HorizontalPodAutoscaler.
          scaleTargetRef CrossVersionObjectReference required | scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.
          minReplicas int32 | minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.
          maxReplicas int32 required | maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.
          metrics []MetricSpec | metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).
          behavior HorizontalPodAutoscalerBehavior | behavior configures the scaling behavior of the target in both Up and Down directions (scaleUp and scaleDown fields respectively).
        CrossVersionObjectReference | CrossVersionObjectReference contains enough information to let you identify the referred resource.
          kind string required | kind is the kind of the referent.
          name string required | name is the name of the referent.
          apiVersion string | apiVersion is the API version of the referent
        MetricSpec | MetricSpec specifies how to scale based on a single metric (only `type` and one other matching field should be set at once).
          type string required | type is the type of metric source. It should be one of "ContainerResource", "External", "Object", "Pods" or "Resource", each mapping to a matching field in the object.
          object ObjectMetricSource | object refers to a metric describing a single kubernetes object (for example, hits-per-second on an Ingress object).
          pods PodsMetricSource | pods refers to a metric describing each pod in the current scale target (for example, transactions-processed-per-second).
          resource ResourceMetricSource | resource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing each pod in the current scale target (e.g. CPU or memory).
          containerResource ContainerResourceMetricSource | containerResource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing a single container in each pod of the current scale target (e.g. CPU or memory).
          external ExternalMetricSource | external refers to a global metric that is not associated with any Kubernetes object.
        ObjectMetricSource | ObjectMetricSource indicates how to scale on a metric describing a kubernetes object (for example, hits-per-second on an Ingress object).
          describedObject CrossVersionObjectReference required | describedObject specifies the descriptions of a object,such as kind,name apiVersion
          target MetricTarget required | target specifies the target value for the given metric
          metric MetricIdentifier required | metric identifies the target metric by name and selector
        PodsMetricSource | PodsMetricSource indicates how to scale on a metric describing each pod in the current scale target (for example, transactions-processed-per-second).
          metric MetricIdentifier required | metric identifies the target metric by name and selector
          target MetricTarget required | target specifies the target value for the given metric
        ResourceMetricSource | ResourceMetricSource indicates how to scale on a resource metric known to Kubernetes, as specified in requests and limits, describing each pod in the current scale target (e.g. CPU or memory).
          name string required | name is the name of the resource in question.
          target MetricTarget required | target specifies the target value for the given metric
        ContainerResourceMetricSource | ContainerResourceMetricSource indicates how to scale on a resource metric known to Kubernetes, as specified in requests and limits, describing a single container in each pod of the current scale target (e.g. CPU or memory).
          name string required | name is the name of the resource in question.
          target MetricTarget required | target specifies the target value for the given metric
          container string required | container is the name of the container in the pods of the scaling target
        ExternalMetricSource | ExternalMetricSource indicates how to scale on a metric not associated with any Kubernetes object (for example length of queue in cloud messaging service, or QPS from loadbalancer running outside of cluster).
          metric MetricIdentifier required | metric identifies the target metric by name and selector
          target MetricTarget required | target specifies the target value for the given metric
        MetricIdentifier | MetricIdentifier defines the name and optionally selector for a metric
          name string required | name is the name of the given metric
          selector LabelSelector | selector is the string-encoded form of a standard kubernetes label selector for the given metric.
        MetricTarget | MetricTarget defines the target value, average value, or average utilization of a specific metric
          type string required | type represents whether the metric type is Utilization, Value, or AverageValue
          value quantity | value is the target value of the metric (as a quantity).
          averageValue quantity | averageValue is the target value of the average of the metric across all relevant pods (as a quantity)
          averageUtilization int32 | averageUtilization is the target value of the average of the resource metric across all relevant pods, represented as a percentage of the requested value of the resource for the pods. Currently only valid for Resource metric source type
        HorizontalPodAutoscalerBehavior | HorizontalPodAutoscalerBehavior configures the scaling behavior of the target in both Up and Down directions (scaleUp and scaleDown fields respectively).
          scaleUp HPAScalingRules | scaleUp is scaling policy for scaling Up.
          scaleDown HPAScalingRules | scaleDown is scaling policy for scaling Down.
        HPAScalingRules | HPAScalingRules configures the scaling behavior for one direction.
          stabilizationWindowSeconds int32 | stabilizationWindowSeconds is the number of seconds for which past recommendations should be considered while scaling up or scaling down.
          selectPolicy string | selectPolicy is used to specify which policy should be used. If not set, the default value Max is used.
          policies []HPAScalingPolicy | policies is a list of potential scaling polices which can be used during scaling. At least one policy must be specified, otherwise the HPAScalingRules will be discarded as invalid
        HPAScalingPolicy | HPAScalingPolicy is a single policy which must hold true for a specified past interval.
          type string required | type is used to specify the scaling policy.
          value int32 required | value contains the amount of change which is permitted by the policy. It must be greater than zero
          periodSeconds int32 required | periodSeconds specifies the window of time for which the policy should hold true. PeriodSeconds must be greater than zero and less than or equal to 1800 (30 min).
        HorizontalPodAutoscalerStatus | HorizontalPodAutoscalerStatus describes the current status of a horizontal pod autoscaler.
          observedGeneration int64 | observedGeneration is the most recent generation observed by this autoscaler.
          lastScaleTime time | lastScaleTime is the last time the HorizontalPodAutoscaler scaled the number of pods, used by the autoscaler to control how often the number of pods is changed.
          currentReplicas int32 | currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.
          desiredReplicas int32 required | desiredReplicas is the desired number of replicas of pods managed by this autoscaler, as last calculated by the autoscaler.
          currentMetrics []MetricStatus | currentMetrics is the last read state of the metrics used by this autoscaler.
          conditions []HorizontalPodAutoscalerCondition merge=type strategy=merge | conditions is the set of conditions required for this autoscaler to scale its target, and indicates whether or not those conditions are met.
        MetricStatus | MetricStatus describes the last-read state of a single metric.
          type string required | type is the type of metric source. It will be one of "ContainerResource", "External", "Object", "Pods" or "Resource", each corresponds to a matching field in the object.
          object ObjectMetricStatus | object refers to a metric describing a single kubernetes object (for example, hits-per-second on an Ingress object).
          pods PodsMetricStatus | pods refers to a metric describing each pod in the current scale target (for example, transactions-processed-per-second).
          resource ResourceMetricStatus | resource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing each pod in the current scale target (e.g. CPU or memory).
          containerResource ContainerResourceMetricStatus | container resource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing a single container in each pod in the current scale target (e.g. CPU or memory).
          external ExternalMetricStatus | external refers to a global metric that is not associated with any Kubernetes object.
        ObjectMetricStatus | ObjectMetricStatus indicates the current value of a metric describing a kubernetes object (for example, hits-per-second on an Ingress object).
          metric MetricIdentifier required | metric identifies the target metric by name and selector
          current MetricValueStatus required | current contains the current value for the given metric
          describedObject CrossVersionObjectReference required | DescribedObject specifies the descriptions of a object,such as kind,name apiVersion
        PodsMetricStatus | PodsMetricStatus indicates the current value of a metric describing each pod in the current scale target (for example, transactions-processed-per-second).
          metric MetricIdentifier required | metric identifies the target metric by name and selector
          current MetricValueStatus required | current contains the current value for the given metric
        ResourceMetricStatus | ResourceMetricStatus indicates the current value of a resource metric known to Kubernetes, as specified in requests and limits, describing each pod in the current scale target (e.g. CPU or memory).
          name string required | name is the name of the resource in question.
          current MetricValueStatus required | current contains the current value for the given metric
        ContainerResourceMetricStatus | ContainerResourceMetricStatus indicates the current value of a resource metric known to Kubernetes, as specified in requests and limits, describing a single container in each pod in the current scale target (e.g. CPU or memory).
          name string required | name is the name of the resource in question.
          current MetricValueStatus required | current contains the current value for the given metric
          container string required | container is the name of the container in the pods of the scaling target
        ExternalMetricStatus | ExternalMetricStatus indicates the current value of a global metric not associated with any Kubernetes object.
          metric MetricIdentifier required | metric identifies the target metric by name and selector
          current MetricValueStatus required | current contains the current value for the given metric
        MetricValueStatus | MetricValueStatus holds the current value for a metric
          value quantity | value is the current value of the metric (as a quantity).
          averageValue quantity | averageValue is the current value of the average of the metric across all relevant pods (as a quantity)
          averageUtilization int32 | currentAverageUtilization is the current value of the average of the resource metric across all relevant pods, represented as a percentage of the requested value of the resource for the pods.
        HorizontalPodAutoscalerCondition | HorizontalPodAutoscalerCondition describes the state of a HorizontalPodAutoscaler at a certain point.
          type string required | type describes the current condition
          status string required | status is the status of the condition (True, False, Unknown)
          lastTransitionTime time | lastTransitionTime is the last time the condition transitioned from one status to another
          reason string | reason is the reason for the condition's last transition.
          message string | message is a human-readable explanation containing details about the transition

        package io.k8s.api.autoscaling.v1
        HorizontalPodAutoscaler kind=autoscaling/v1 | configuration of a horizontal pod autoscaler.
          spec HorizontalPodAutoscalerSpec | spec defines the behaviour of autoscaler.
          status HorizontalPodAutoscalerStatus | status is the current information about the autoscaler.
        HorizontalPodAutoscalerSpec | specification of a horizontal pod autoscaler.
          scaleTargetRef CrossVersionObjectReference required | reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.
          minReplicas int32 | minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.
          maxReplicas int32 required | maxReplicas is the upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.
          targetCPUUtilizationPercentage int32 | targetCPUUtilizationPercentage is the target average CPU utilization (represented as a percentage of requested CPU) over all the pods; if not specified the default autoscaling policy will be used.
        CrossVersionObjectReference | CrossVersionObjectReference contains enough information to let you identify the referred resource.
          kind string required | kind is the kind of the referent.
          name string required | name is the name of the referent.
          apiVersion string | apiVersion is the API version of the referent
        HorizontalPodAutoscalerStatus | current status of a horizontal pod autoscaler
          observedGeneration int64 | observedGeneration is the most recent generation observed by this autoscaler.
          lastScaleTime time | lastScaleTime is the last time the HorizontalPodAutoscaler scaled the number of pods; used by the autoscaler to control how often the number of pods is changed.
          currentReplicas int32 required | currentReplicas is the current number of replicas of pods managed by this autoscaler.
          desiredReplicas int32 required | desiredReplicas is the desired number of replicas of pods managed by this autoscaler.
          currentCPUUtilizationPercentage int32 | currentCPUUtilizationPercentage is the current average CPU utilization over all pods, represented as a percentage of requested CPU, e.g. 70 means that an average pod is using now 70% of its requested CPU.
        """;
}
