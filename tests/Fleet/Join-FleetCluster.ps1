#Requires -Version 7.4
# Start-FleetCluster's join, in a pwsh of its own so that the caller's session need not load the module:
# New-ClusterNode for each stage's nodes (the control plane's stage first), four at a time.
param([Parameter(Mandatory)] [string] $ParameterFile)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$join = Get-Content -Raw -LiteralPath $ParameterFile | ConvertFrom-Json -AsHashtable
$env:KUBECONFIG = $join.KubeConfig
foreach ($stage in $join.Stages) {
    $stage | ForEach-Object -ThrottleLimit 4 -Parallel {
        Import-Module ($using:join).ModulePath
        $parameter = $_
        $null = New-ClusterNode @parameter -ErrorAction Stop
    }
}
