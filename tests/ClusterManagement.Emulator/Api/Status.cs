using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Api;

/// <summary>metav1.Status bodies and the errors the real apiserver produces, with its exact wording.</summary>
public static class Status
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }
        status["code"] = code;
        return status;
    }

    public static JsonObject Success(ResourceKind kind, string name, string? uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = Details(kind, name, uid),
    };

    public static ApiException NotFound(ResourceKind kind, string name) =>
        new(404, "NotFound", $"{kind.QualifiedResource} \"{name}\" not found", Details(kind, name));

    public static ApiException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });

    public static ApiException UnknownResource() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiException AlreadyExists(ResourceKind kind, string name) =>
        new(409, "AlreadyExists", $"{kind.QualifiedResource} \"{name}\" already exists", Details(kind, name));

    public static ApiException Conflict(ResourceKind kind, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {kind.QualifiedResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            Details(kind, name));

    public static ApiException UidConflict(ResourceKind kind, string name, string expectedUid, string actualUid) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {kind.QualifiedResource} \"{name}\": Precondition failed: UID in precondition: {expectedUid}, UID in object meta: {actualUid}",
            Details(kind, name));

    public static ApiException Invalid(ResourceKind kind, string name, params (string Field, string Reason, string Message)[] causes)
    {
        // NewInvalid names the kind, not the resource, in its details; kubectl prints "The <kind> "x" is invalid".
        var details = Details(kind, name);
        details["kind"] = kind.Kind;
        details["causes"] = new JsonArray(causes.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = c.Reason,
            ["message"] = c.Message,
            ["field"] = c.Field,
        }).ToArray());
        var summary = string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}"));
        // The real message names the qualified kind: StorageClass.storage.k8s.io, PersistentVolumeClaim.
        var qualifiedKind = kind.Group.Length == 0 ? kind.Kind : $"{kind.Kind}.{kind.Group}";
        return new ApiException(422, "Invalid", $"{qualifiedKind} {ObjectValidation.GoQuote(name)} is invalid: {(causes.Length > 1 ? $"[{summary}]" : summary)}", details);
    }

    public static ApiException Forbidden(ResourceKind kind, string? name, string message) =>
        new(403, "Forbidden", message, name is null ? new JsonObject { ["kind"] = kind.Plural } : Details(kind, name));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiException MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}");

    public static ApiException NotAcceptable(IEnumerable<string> served) =>
        new(406, "NotAcceptable", $"only the following media types are accepted: {string.Join(", ", served)}");

    public static ApiException TooManyRequests(string message, JsonObject? details = null) => new(429, "TooManyRequests", message, details);

    public static ApiException InternalError(string message) =>
        new(500, "InternalError", $"Internal error occurred: {message}", new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) });

    /// <summary>The reason the real server uses for a status code, so injected faults look genuine.</summary>
    public static string ReasonFor(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Expired",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "Unknown",
    };

    private static JsonObject Details(ResourceKind kind, string name, string? uid = null)
    {
        var details = new JsonObject { ["name"] = name };
        if (kind.Group.Length > 0)
        {
            details["group"] = kind.Group;
        }
        details["kind"] = kind.Plural;
        if (uid is not null)
        {
            details["uid"] = uid;
        }
        return details;
    }
}
