namespace ClusterManagement.Emulator.OpenApi.Definitions;

/// <summary>meta/v1 structures every kind shares, from the Kubernetes API reference (ObjectMeta, LabelSelector...).</summary>
public static class MetaDefinitions
{
    public const string Text = """
        package io.k8s.apimachinery.pkg.apis.meta.v1
        ObjectMeta | ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.
          name string | Name must be unique within a namespace. Cannot be updated.
          generateName string | GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.
          namespace string | Namespace defines the space within which each name must be unique. Cannot be updated.
          selfLink string | Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.
          uid string | UID is the unique in time and space value for this object. Populated by the system. Read-only.
          resourceVersion string | An opaque value that represents the internal version of this object. Populated by the system. Read-only.
          generation int64 | A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.
          creationTimestamp time | CreationTimestamp is a timestamp representing the server time when this object was created. Populated by the system. Read-only.
          deletionTimestamp time | DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. Set by the server when a graceful deletion is requested.
          deletionGracePeriodSeconds int64 | Number of seconds allowed for this object to gracefully terminate before it will be removed from the system.
          labels {}string | Map of string keys and values that can be used to organize and categorize (scope and select) objects.
          annotations {}string | Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.
          ownerReferences []OwnerReference merge=uid strategy=merge | List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected.
          finalizers []string strategy=merge | Must be empty before the object is deleted from the registry.
          managedFields []ManagedFieldsEntry | ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.
        OwnerReference | OwnerReference contains enough information to let you identify an owning object.
          apiVersion string required | API version of the referent.
          kind string required | Kind of the referent.
          name string required | Name of the referent.
          uid string required | UID of the referent.
          controller boolean | If true, this reference points to the managing controller.
          blockOwnerDeletion boolean | If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.
        ManagedFieldsEntry | ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.
          manager string | Manager is an identifier of the workflow managing these fields.
          operation string | Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and 'Update'.
          apiVersion string | APIVersion defines the version of this resource that this field set applies to.
          time time | Time is the timestamp of when the ManagedFields entry was added.
          fieldsType string | FieldsType is the discriminator for the different fields format and version. There is currently only one possible value: "FieldsV1"
          fieldsV1 object | FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.
          subresource string | Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource.
        LabelSelector | A label selector is a label query over a set of resources. An empty label selector matches all objects. A null label selector matches no objects.
          matchLabels {}string | matchLabels is a map of {key,value} pairs.
          matchExpressions []LabelSelectorRequirement | matchExpressions is a list of label selector requirements. The requirements are ANDed.
        LabelSelectorRequirement | A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.
          key string required | key is the label key that the selector applies to.
          operator string required | operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist.
          values []string | values is an array of string values.
        Condition | Condition contains details for one aspect of the current state of this API Resource.
          type string required | type of condition in CamelCase or in foo.example.com/CamelCase.
          status string required | status of the condition, one of True, False, Unknown.
          observedGeneration int64 | observedGeneration represents the .metadata.generation that the condition was set based upon.
          lastTransitionTime time required | lastTransitionTime is the last time the condition transitioned from one status to another.
          reason string required | reason contains a programmatic identifier indicating the reason for the condition's last transition.
          message string required | message is a human readable message indicating details about the transition.
        """;
}
