using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Seeding;

namespace ClusterManagement.Emulator.Kubeadm;

/// <summary>
/// What <c>kubeadm init</c> leaves in a cluster for <c>kubeadm join</c>: kube-public/cluster-info (a
/// kubeconfig with the server and CA, which the bootstrap signer signs per token) and
/// kube-system/kubeadm-config (the ClusterConfiguration at the emulator's starting version) and kube-system/kubelet-config
/// (the KubeletConfiguration every node's kubeadm writes to /var/lib/kubelet/config.yaml). The bootstrap signer of
/// kube-controller-manager runs whether or not they exist, as it does on any cluster.
/// </summary>
public sealed class KubeadmModule : IEmulatorModule
{
    public const string ClusterInfo = "cluster-info";
    public const string KubeadmConfig = "kubeadm-config";
    public const string KubeletConfig = "kubelet-config";

    public void Register(EmulatorBuilder builder) => builder.AddController(new BootstrapSignerController());

    /// <summary>
    /// Creates both objects once the server's URL is known (its port is chosen at start), unless the
    /// options ask for a cluster that was not made by kubeadm.
    /// </summary>
    public static void Publish(EmulatorContext context, string url)
    {
        if (!context.Options.KubeadmObjects)
        {
            return;
        }

        var endpoint = new Uri(url).Authority;
        var born = context.Time.GetUtcNow() - ClusterSeeder.ClusterAge;
        var caData = Convert.ToBase64String(Encoding.ASCII.GetBytes(context.Authority.Certificate.ExportCertificatePem() + "\n"));
        // Byte for byte what kubeadm init writes (clientcmd's serialisation): joining nodes verify signatures over these bytes.
        var kubeconfig = $"apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {caData}\n    server: {url}\n  name: \"\"\ncontexts: null\ncurrent-context: \"\"\nkind: Config\npreferences: {{}}\nusers: null\n";
        context.Store.Create(CoreKinds.ConfigMaps, ConfigMap("kube-public", ClusterInfo, born, new JsonObject { ["kubeconfig"] = kubeconfig }));
        var version = context.Options.KubernetesVersion;
        var clusterConfiguration =
            "apiServer: {}\napiVersion: kubeadm.k8s.io/v1beta4\ncaCertificateValidityPeriod: 87600h0m0s\ncertificateValidityPeriod: 8760h0m0s\n" +
            $"certificatesDir: /etc/kubernetes/pki\nclusterName: kubernetes\ncontrolPlaneEndpoint: {endpoint}\ncontrollerManager: {{}}\ndns: {{}}\n" +
            "encryptionAlgorithm: RSA-2048\netcd:\n  local:\n    dataDir: /var/lib/etcd\nimageRepository: registry.k8s.io\nkind: ClusterConfiguration\n" +
            $"kubernetesVersion: {version}\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\nproxy: {{}}\nscheduler: {{}}\n";
        context.Store.Create(CoreKinds.ConfigMaps, ConfigMap("kube-system", KubeadmConfig, born, new JsonObject { ["ClusterConfiguration"] = clusterConfiguration }));
        var kubeletConfiguration =
            "apiVersion: kubelet.config.k8s.io/v1beta1\nauthentication:\n  anonymous:\n    enabled: false\n  webhook:\n    enabled: true\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\n" +
            "authorization:\n  mode: Webhook\ncgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\nkind: KubeletConfiguration\n" +
            "rotateCertificates: true\nstaticPodPath: /etc/kubernetes/manifests\n";
        context.Store.Create(CoreKinds.ConfigMaps, ConfigMap("kube-system", KubeletConfig, born, new JsonObject { ["kubelet"] = kubeletConfiguration }));
    }

    private static JsonObject ConfigMap(string ns, string name, DateTimeOffset created, JsonObject data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["creationTimestamp"] = created.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        },
        ["data"] = data,
    };
}
