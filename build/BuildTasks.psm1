# The tasks behind build.ps1. Each installs what it needs and fails loudly on the first error.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PSScriptRoot 'Prerequisites.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'HelpBuilder.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'TestRunner.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'Package.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../tests/TestCluster.psm1') -Force

function New-BuildContext {
    param([Parameter(Mandatory)] [string] $Root, [Parameter(Mandatory)] [string] $Configuration)
    $out = Join-Path $Root 'out'
    [pscustomobject]@{
        Root          = $Root
        Configuration = $Configuration
        Out           = $out
        ModuleOut     = Join-Path $out 'ClusterManagement'
        SandboxDir    = Join-Path $out 'sandbox'
    }
}

function Invoke-Dotnet {
    # A simple function on purpose: dotnet's own switches (-o, -c) must pass through untouched.
    # To the host, not the output stream: build chatter must never become a function's return value.
    & dotnet @args | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-ModuleBuild {
    param([Parameter(Mandatory)] $Context)
    $root = $Context.Root
    $moduleOut = $Context.ModuleOut
    Write-Host "Building the module into $moduleOut" -ForegroundColor Cyan
    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $moduleOut

    # The engine and its dependencies go to dependencies/, where only the module's own
    # AssemblyLoadContext looks; the cmdlet assembly sits alone at the module root.
    Invoke-Dotnet publish (Join-Path $root 'src/ClusterManagement.Engine') -c $Context.Configuration -o (Join-Path $moduleOut 'dependencies') --nologo -v quiet
    # The shared types load in the default context, from the module root only.
    Remove-Item (Join-Path $moduleOut 'dependencies/ClusterManagement.Types.*')
    foreach ($assembly in 'ClusterManagement', 'ClusterManagement.Loader', 'ClusterManagement.Types') {
        Invoke-Dotnet build (Join-Path $root "src/$assembly") -c $Context.Configuration --nologo -v quiet
        $bin = Join-Path $root "src/$assembly/bin/$($Context.Configuration)/net8.0"
        Copy-Item (Join-Path $bin "$assembly.dll"), (Join-Path $bin "$assembly.pdb") $moduleOut
    }
    Add-ReadyToRunImage -Context $Context
    Copy-Item (Join-Path $root 'ClusterManagement.psd1') $moduleOut
    Copy-Item (Join-Path $root 'src/ClusterManagement/Formats') $moduleOut -Recurse
    Write-ContextView -FormatsPath (Join-Path $moduleOut 'Formats') -TypesAssembly (Join-Path $moduleOut 'ClusterManagement.Types.dll')
    Copy-Item (Join-Path $root 'LICENSE') $moduleOut

    Invoke-DocsBuild -Context $Context
    Write-Host "Module ready: $moduleOut" -ForegroundColor Green
}

function Write-ContextView {
    <#
    Writes Fleets.Format.ps1xml: for every type whose objects name their context (IClusterObject), its default
    table (the first table view of the type in the area files) with a Context column first, selected by the
    type name <Type>#Contexts that output from several contexts carries. Each table so has one source, and a
    new type or a changed default table gets its multi-context view with the next build. A table that gives
    its first column a width keeps its layout and is grouped by Context instead (before a first column
    without a width PowerShell would size every column to its first rows and drop the widths); one that is
    grouped already gets a Context column of a fixed width.
    #>
    param([Parameter(Mandatory)] [string] $FormatsPath, [Parameter(Mandatory)] [string] $TypesAssembly)
    # LoadFile gives the file a context of its own: a session that imported the module keeps its copy.
    $types = [System.Reflection.Assembly]::LoadFile($TypesAssembly)
    $clusterObject = $types.GetType('ClusterManagement.Connection.IClusterObject', $true)
    $target = Join-Path $FormatsPath 'Fleets.Format.ps1xml'
    $fleets = [xml]'<?xml version="1.0" encoding="utf-8"?><Configuration><ViewDefinitions /></Configuration>'
    $null = $fleets.InsertBefore($fleets.CreateComment(' Written by the build (Write-ContextView in build/BuildTasks.psm1) from the default tables of the other files: change those. '), $fleets.DocumentElement)
    $definitions = $fleets.SelectSingleNode('/Configuration/ViewDefinitions')
    $done = [System.Collections.Generic.HashSet[string]]::new()
    foreach ($file in Get-ChildItem $FormatsPath -Filter '*.Format.ps1xml' | Where-Object FullName -ne $target | Sort-Object Name) {
        foreach ($view in ([xml](Get-Content $file.FullName -Raw)).SelectNodes('/Configuration/ViewDefinitions/View[TableControl]')) {
            $typeName = $view.ViewSelectedBy.TypeName
            $type = $types.GetType($typeName)
            if (-not $type -or -not $clusterObject.IsAssignableFrom($type) -or -not $done.Add($typeName)) { continue }
            $copy = $fleets.ImportNode($view, $true)
            $copy.ViewSelectedBy.TypeName = "$typeName#Contexts"
            $firstColumnHasWidth = [bool]$copy.SelectSingleNode('TableControl/TableHeaders/TableColumnHeader[1]/Width')
            if ($firstColumnHasWidth -and -not $copy.SelectSingleNode('GroupBy')) {
                $group = $fleets.CreateElement('GroupBy')
                $group.InnerXml = '<PropertyName>Context</PropertyName><Label>Context</Label>'
                $null = $copy.InsertAfter($group, $copy.SelectSingleNode('ViewSelectedBy'))
                $null = $definitions.AppendChild($copy)
                continue
            }
            $header = $fleets.CreateElement('TableColumnHeader')
            # A table grouped already keeps its grouping; its fixed widths stand only if the new column has one too.
            $header.InnerXml = $firstColumnHasWidth ? '<Label>Context</Label><Width>12</Width>' : '<Label>Context</Label>'
            $null = $copy.TableControl.TableHeaders.PrependChild($header)
            foreach ($items in $copy.SelectNodes('TableControl/TableRowEntries/TableRowEntry/TableColumnItems')) {
                $item = $fleets.CreateElement('TableColumnItem')
                $item.InnerXml = '<PropertyName>Context</PropertyName>'
                $null = $items.PrependChild($item)
            }
            $null = $definitions.AppendChild($copy)
        }
    }
    $fleets.Save($target)
}

function Add-ReadyToRunImage {
    <#
    Replaces every assembly of the built module with its ReadyToRun image for the .NET runtime of this pwsh
    (build/tools/ReadyToRun says why). The images are made from scratch each time: the SDK's incremental check
    compares timestamps, and a dependency restored from an older package keeps an older one than a stale image.
    #>
    param([Parameter(Mandatory)] $Context)
    $project = Join-Path $Context.Root 'build/tools/ReadyToRun/ReadyToRun.csproj'
    $images = Join-Path $Context.Out 'readytorun'
    Remove-Item $images -Recurse -Force -ErrorAction Ignore
    Get-ChildItem (Join-Path (Split-Path $project) 'obj') -Directory -Recurse -Filter R2R -ErrorAction Ignore | Remove-Item -Recurse -Force
    $framework = "net$([Environment]::Version.Major).0"
    Invoke-Dotnet publish $project -c $Context.Configuration -o $images --nologo -v quiet "-p:ReadyToRunFramework=$framework" "-p:ModuleFolder=$($Context.ModuleOut)" "-p:PowerShellFolder=$PSHOME"
    foreach ($assembly in Get-ChildItem $Context.ModuleOut -Filter *.dll -Recurse) {
        Copy-Item (Join-Path $images ([IO.Path]::GetRelativePath($Context.ModuleOut, $assembly.FullName))) $assembly.FullName
    }
    Remove-Item $images -Recurse -Force
}

function Invoke-DocsBuild {
    param([Parameter(Mandatory)] $Context)
    Build-ModuleHelp -ModulePath $Context.ModuleOut -DocsPath (Join-Path $Context.Root 'docs')
}

function Invoke-TestRun {
    param([Parameter(Mandatory)] $Context, [string] $TestName)
    Install-BuildPrerequisite -Context $Context
    Invoke-ModuleBuild -Context $Context
    Invoke-AllTests -Context $Context -TestName $TestName
}

function Start-Sandbox {
    param([Parameter(Mandatory)] $Context, [int] $Nodes, [int] $NodeHosts)
    Build-Emulator -Root $Context.Root -Configuration $Context.Configuration
    $cluster = Start-TestCluster -Root $Context.Root -StateDir $Context.SandboxDir -Workers $Nodes -ExtraArgument '--sample-app' -Configuration $Context.Configuration
    if ($NodeHosts -gt 0) {
        # Hosts that are not yet in the cluster, for New-ClusterNode; the control-plane host runs etcd.
        Import-Module (Join-Path $Context.Root 'tests/Fleet/Fleet.psm1') -Force
        try {
            $null = Start-Fleet -Count ($NodeHosts + 1) -ControlPlaneCount 1 -FirstOctet 190 -Variant Docker -CniConfig -Confirm:$false
            Export-FleetInventory -Path (Join-Path $Context.SandboxDir 'nodes.json') -Confirm:$false
        }
        catch {
            Stop-Fleet -Confirm:$false
            Stop-TestCluster -Cluster $cluster
            throw
        }
        Add-Member -InputObject $cluster -NotePropertyName NodeHosts -NotePropertyValue (Join-Path $Context.SandboxDir 'nodes.json')
    }
    $cluster
}

function Stop-Sandbox {
    param([Parameter(Mandatory)] $Cluster)
    if ($Cluster.PSObject.Properties['NodeHosts']) { Stop-Fleet -Confirm:$false }
    Stop-TestCluster -Cluster $Cluster
}

function Invoke-Sandbox {
    param([Parameter(Mandatory)] $Context, [int] $Nodes, [int] $NodeHosts)
    Invoke-ModuleBuild -Context $Context
    $cluster = Start-Sandbox -Context $Context -Nodes $Nodes -NodeHosts $NodeHosts
    try {
        Write-Host "Sandbox cluster at $($cluster.Url) with $Nodes workers."
        Write-Host "Kubeconfig: $($cluster.KubeConfig)"
        if ($cluster.PSObject.Properties['NodeHosts']) {
            Write-Host "Node hosts (not yet in the cluster): $($cluster.NodeHosts); try New-ClusterNode with an entry's address, sshPort, user and keyPath."
        }
        Write-Host "Try it:  `$env:KUBECONFIG = '$($cluster.KubeConfig)'; Import-Module '$($Context.ModuleOut)'; Get-ClusterNode"
        Write-Host 'Press Ctrl+C to stop.'
        Wait-TestCluster -Cluster $cluster
    }
    finally {
        Stop-Sandbox -Cluster $cluster
    }
}

function Invoke-SandboxShell {
    param([Parameter(Mandatory)] $Context, [int] $Nodes, [int] $NodeHosts)
    Invoke-ModuleBuild -Context $Context
    $cluster = Start-Sandbox -Context $Context -Nodes $Nodes -NodeHosts $NodeHosts
    try {
        $init = "`$env:KUBECONFIG = '$($cluster.KubeConfig)'; Import-Module '$($Context.ModuleOut)'; " +
            "Write-Host 'ClusterManagement sandbox: try Get-ClusterNode, Get-Help about_ClusterManagement. exit leaves and stops the sandbox.'"
        & (Get-PwshPath) -NoLogo -NoExit -Command $init
    }
    finally {
        Stop-Sandbox -Cluster $cluster
    }
}

function Invoke-Demo {
    param([Parameter(Mandatory)] $Context, [int] $Nodes)
    Install-BuildPrerequisite -Context $Context
    Invoke-ModuleBuild -Context $Context
    $cluster = Start-Sandbox -Context $Context -Nodes $Nodes -NodeHosts 0
    try {
        $demo = Join-Path $Context.Root 'build/Demo.ps1'
        & (Get-PwshPath) -NoLogo -NoProfile -File $demo -ModulePath $Context.ModuleOut -Cluster $cluster.StateDir
        if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
    }
    finally {
        Stop-TestCluster -Cluster $cluster
    }
}

function Invoke-Benchmark {
    param([Parameter(Mandatory)] $Context)
    Install-BuildPrerequisite -Context $Context
    Invoke-ModuleBuild -Context $Context
    Build-Emulator -Root $Context.Root -Configuration $Context.Configuration
    $bench = Join-Path $Context.Root 'build/Benchmark.ps1'
    & (Get-PwshPath) -NoLogo -NoProfile -File $bench -Root $Context.Root -ModulePath $Context.ModuleOut -OutDir (Join-Path $Context.Out 'bench') -Configuration $Context.Configuration
    if ($LASTEXITCODE -ne 0) { throw "The benchmark failed (exit code $LASTEXITCODE)." }
}

function Invoke-Package {
    param([Parameter(Mandatory)] $Context)
    Invoke-ModuleBuild -Context $Context
    $packageDir = Join-Path $Context.Out 'package'
    $package = New-ModulePackage -ModulePath $Context.ModuleOut -OutDir $packageDir
    $installed = Test-ModulePackage -PackageDir $packageDir -InstallDir (Join-Path $Context.Out 'package-check')
    Write-Host "Package: $($package.FullName) (installs with Install-PSResource from a folder repository: checked in $($installed.DirectoryName))" -ForegroundColor Green
}

Export-ModuleMember -Function New-BuildContext, Invoke-ModuleBuild, Invoke-DocsBuild, Invoke-TestRun, Invoke-Sandbox,
    Invoke-SandboxShell, Invoke-Demo, Invoke-Benchmark, Invoke-Package, Invoke-Dotnet
