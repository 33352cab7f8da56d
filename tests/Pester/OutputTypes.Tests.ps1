# How every output type reaches people and the next pipeline step. As JSON (steps hand results on):
# whole with ConvertTo-Json -Depth 4 (no cycles, nothing cut off), without SDK objects, timestamps in
# ISO 8601 UTC, enums by name. In a console: a default table that reads at 80 columns (no header wrapped
# letter by letter, no value cut short) and a list view for Format-List and mixed output, with every
# column labelled by a property name so that Format-Table <Label> works.
BeforeDiscovery {
    # One row per output type: a command that produces real instances from the sandbox.
    $samples = @(
        @{ Type = 'ClusterManagement.Connection.ClusterContext'; Produce = { Get-ClusterContext } }
        @{ Type = 'ClusterManagement.Nodes.ClusterNode'; Produce = { Get-ClusterNode } }
        @{ Type = 'ClusterManagement.Nodes.NodePod'; Produce = { Get-NodePod -Node worker-1 } }
        @{ Type = 'ClusterManagement.Nodes.NodeDrainResult'; Produce = {
                Suspend-ClusterNode -Name worker-3 -Drain -IgnoreDaemonSets -DeleteEmptyDirData -Force -Timeout 60
                Resume-ClusterNode -Name worker-3 -Force
            }
        }
        @{ Type = 'ClusterManagement.Network.NodeNetwork'; Produce = { Get-ClusterNetwork } }
        @{ Type = 'ClusterManagement.Network.ClusterNetworkSummary'; Produce = { Get-ClusterNetwork -Summary } }
        @{ Type = 'ClusterManagement.Apps.ClusterApp'; Produce = { Get-ClusterApp } }
        @{ Type = 'ClusterManagement.Apps.AppRollout'; Produce = { Publish-AppVersion -Name web -Image nginx:1.28 -Wait -Force } }
        @{ Type = 'ClusterManagement.Apps.AppRevision'; Produce = { Get-AppRevision -Name web } }
        @{ Type = 'ClusterManagement.Manifests.AppliedObject'; Produce = {
                $file = Join-Path $TestDrive 'settings.yaml'
                Set-Content $file "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: json-settings`ndata:`n  mode: fast"
                Publish-ClusterManifest -Path $file -Confirm:$false
            }
        }
        @{ Type = 'ClusterManagement.Storage.StorageClass'; Produce = { Get-StorageClass } }
        @{ Type = 'ClusterManagement.Storage.CsiDriver'; Produce = { Get-CsiDriver } }
        @{ Type = 'ClusterManagement.Storage.CsiVolumeClaim'; Produce = { New-CsiVolumeClaim -Name json-data -Size 1Gi -Wait -Timeout 60 } }
        @{ Type = 'ClusterManagement.Storage.CsiVolume'; Produce = { Get-CsiVolume } }
        # Node hosts and their engines exist only on the fleet (NodeHosts.Tests.ps1, NodeNetwork.Tests.ps1
        # check these come back from real hosts); here they are built with the values those hosts report.
        @{ Type = 'ClusterManagement.NodeHosts.NodeDocker'; Produce = {
                [ClusterManagement.NodeHosts.NodeDocker]@{ Node = 'worker-1'; State = 'Running'; Version = '20.10.24+dfsg1'; ApiVersion = '1.41'; Containerd = '1.6.20~ds1'
                    ContainerdBuild = '1.6.20~ds1-1+deb12u2'; Runc = '1.1.5'; Os = 'linux'; Kernel = '6.1.0-27-amd64'; StorageDriver = 'overlay2'; CgroupDriver = 'systemd'
                    Endpoint = 'ssh://cmadmin@127.0.0.172:2372/var/run/docker.sock' }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeDockerUpgrade'; Produce = {
                [ClusterManagement.NodeHosts.NodeDockerUpgrade]@{ Node = 'worker-1'; Batch = 1; From = 'docker.io 20.10.24+dfsg1-1+deb12u1+b6, containerd 1.6.20~ds1-1+deb12u2'
                    To = 'docker.io 20.10.24+dfsg1-1+deb12u1+b6, containerd 1.6.20~ds1-1+deb12u3'; Drained = $true; Duration = [timespan]::FromSeconds(21.4); Status = 'Upgraded' }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeUnit'; Produce = {
                [ClusterManagement.NodeHosts.NodeUnit]@{ Node = 'worker-1'; Name = 'containerd'; Description = 'containerd container runtime'; LoadState = 'loaded'
                    ActiveState = 'active'; SubState = 'running'; Enabled = 'enabled'; Since = [datetime]::SpecifyKind([datetime]'2026-11-25T01:57:39', 'Utc'); MainPid = 610 }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeBackup'; Produce = {
                [ClusterManagement.NodeHosts.NodeBackup]@{ Node = 'worker-1'; Path = '/home/admin/node-backups/worker-1-20261125T020511Z.tar.gz'; Files = 23; Bytes = 14562
                    Sha256 = '3f0c2a9e51b7d0c4a8e2f1b6c9d3e7a5b1f4c8d2e6a0b3c7d1e5f9a2b6c0d4e8'; EtcdSnapshot = $false; Created = [datetime]::SpecifyKind([datetime]'2026-11-25T02:05:11', 'Utc') }
            }
        }
        @{ Type = 'ClusterManagement.Network.EngineNetwork'; Produce = {
                [ClusterManagement.Network.EngineNetwork]@{ Node = 'worker-1'; Name = 'apps'; Id = '5c1f0e7d2a9b'; Driver = 'bridge'; Scope = 'local'
                    Subnets = '198.18.40.0/24', 'fd00:198:18:40::/64'; Gateways = '198.18.40.1', 'fd00:198:18:40::1'; IPRanges = @('198.18.40.128/25'); Internal = $false
                    EnableIPv6 = $true; Containers = @('web-1'); Labels = [System.Collections.Generic.Dictionary[string, string]]::new() }
            }
        }
        @{ Type = 'ClusterManagement.Network.NodeRoute'; Produce = {
                [ClusterManagement.Network.NodeRoute]@{ Node = 'router-1'; Destination = '198.18.210.0/24'; Gateway = '198.18.200.1'; Device = 'eth0'; Protocol = 'static'
                    Scope = 'global'; Metric = 100; Family = 'IPv4'; PersistedIn = '/etc/network/interfaces.d/cm-routes-eth0' }
            }
        }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cluster = Start-SuiteCluster -Workers 3 -ExtraArgument '--sample-app'
    $env:KUBECONFIG = $cluster.KubeConfig

    function Get-FormatView {
        <# Every view of the module's format files: its type, name, control (Table or List) and labels, in order. #>
        param([string] $FormatsPath)
        foreach ($file in Get-ChildItem $FormatsPath -Filter '*.Format.ps1xml') {
            foreach ($view in ([xml] (Get-Content $file.FullName -Raw)).Configuration.ViewDefinitions.View) {
                if ($view['TableControl']) {
                    $items = @($view.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem)
                    $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
                    $labels = for ($i = 0; $i -lt $items.Count; $i++) {
                        if ($headers.Count -gt $i -and $headers[$i]['Label']) { $headers[$i].Label } else { $items[$i].PropertyName }
                    }
                    $control = 'Table'
                } else {
                    $labels = foreach ($item in $view.ListControl.ListEntries.ListEntry.ListItems.ListItem) { $item['Label'] ? $item.Label : $item.PropertyName }
                    $control = 'List'
                }
                [pscustomobject]@{ TypeName = [string] $view.ViewSelectedBy.TypeName; Name = $view.Name; Control = $control; Labels = @($labels) }
            }
        }
    }

    function Get-TableHeader {
        <# The header line of a rendered table: the line above the dashes (a grouped view starts with its group line). #>
        param([string] $Text)
        $lines = @($Text -split '\r?\n' | Where-Object { $_.Trim() })
        $lines[[array]::FindIndex($lines, [Predicate[string]] { param($l) $l -match '^-+(\s+-+)*\s*$' }) - 1]
    }

    function Get-UnfitMember {
        <#
            Members whose type is neither a plain value, a collection of them, nor another of the module's
            own types: what would reach JSON as an SDK object's dump. Walks the declared types, so members
            that are null in the sample are checked too.
        #>
        param([type] $Type, [string] $Path = $Type.Name, [System.Collections.Generic.HashSet[type]] $Seen = [System.Collections.Generic.HashSet[type]]::new())
        if (-not $Seen.Add($Type)) { return }
        foreach ($property in $Type.GetProperties([System.Reflection.BindingFlags] 'Public, Instance')) {
            $memberType = [Nullable]::GetUnderlyingType($property.PropertyType) ?? $property.PropertyType
            $queue = [System.Collections.Generic.Queue[type]]::new()
            $queue.Enqueue($memberType)
            while ($queue.Count -gt 0) {
                $t = $queue.Dequeue()
                $t = [Nullable]::GetUnderlyingType($t) ?? $t
                if ($t.IsArray) { $queue.Enqueue($t.GetElementType()); continue }
                if ($t.IsGenericType -and $t.Namespace -like 'System.Collections*') { $t.GetGenericArguments() | ForEach-Object { $queue.Enqueue($_) }; continue }
                if ($t.IsPrimitive -or $t.IsEnum -or $t -in [string], [decimal], [datetime], [datetimeoffset], [timespan], [guid]) { continue }
                if ($t.Namespace -like 'ClusterManagement.*' -and $t.Assembly.GetName().Name -eq 'ClusterManagement.Types') {
                    Get-UnfitMember -Type $t -Path "$Path.$($property.Name)" -Seen $Seen
                    continue
                }
                "$Path.$($property.Name): $($t.FullName)"
            }
        }
    }

    function Get-DateTimeValue {
        <# Every DateTime in the object graph, with its path, for comparison with what the JSON says. #>
        param($Value, [string] $Path, [int] $Depth = 0)
        if ($null -eq $Value -or $Depth -gt 4) { return }
        if ($Value -is [datetime]) { [pscustomobject]@{ Path = $Path; Value = $Value }; return }
        if ($Value -is [string] -or $Value.GetType().IsPrimitive -or $Value -is [enum] -or $Value -is [timespan]) { return }
        if ($Value -is [System.Collections.IDictionary]) { foreach ($key in $Value.Keys) { Get-DateTimeValue $Value[$key] "$Path.$key" ($Depth + 1) }; return }
        if ($Value -is [System.Collections.IEnumerable]) { $i = 0; foreach ($item in $Value) { Get-DateTimeValue $item "$Path[$i]" ($Depth + 1); $i++ }; return }
        foreach ($property in $Value.GetType().GetProperties([System.Reflection.BindingFlags] 'Public, Instance')) {
            Get-DateTimeValue $property.GetValue($Value) "$Path.$($property.Name)" ($Depth + 1)
        }
    }

    $formatViews = @(Get-FormatView (Join-Path (Get-ModuleUnderTest) 'Formats'))
    $tableViews = @($formatViews | Where-Object Control -eq 'Table')
}

AfterAll {
    Stop-TestCluster $cluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe '<Type> as JSON and in a console' -ForEach $samples {
    BeforeAll {
        $objects = @(& $Produce | Where-Object { $_.GetType().FullName -eq $Type })
        $view = $tableViews | Where-Object TypeName -eq $Type | Where-Object Name -ne 'Wide' | Select-Object -First 1
        $wide = $tableViews | Where-Object TypeName -eq $Type | Where-Object Name -eq 'Wide'
    }

    It 'has a sample from the sandbox' {
        $objects.Count | Should -BeGreaterThan 0
    }

    It 'holds only plain values and the module''s own types' {
        Get-UnfitMember -Type $objects[0].GetType() | Should -BeNullOrEmpty
    }

    It 'serializes whole with -Depth 4: no cycle, nothing cut off' {
        $json = $objects | ConvertTo-Json -Depth 4 -WarningVariable truncated -WarningAction SilentlyContinue
        $truncated | Should -BeNullOrEmpty -Because 'ConvertTo-Json warns when it cuts a deeper (or cyclic) graph off'
        $back = @($json | ConvertFrom-Json)
        $back.Count | Should -Be $objects.Count
        $objects[0].GetType().GetProperties().Name | Where-Object { $_ -notin $back[0].PSObject.Properties.Name } | Should -BeNullOrEmpty
    }

    It 'writes its timestamps in ISO 8601 UTC' {
        $checked = 0
        foreach ($object in $objects) {
            $json = $object | ConvertTo-Json -Depth 4 -Compress
            foreach ($stamp in Get-DateTimeValue $object '') {
                $checked++
                $stamp.Value.Kind | Should -Be 'Utc' -Because "$Type$($stamp.Path) is a point in time"
                $json | Should -Match ([regex]::Escape('"' + $stamp.Value.ToString('yyyy-MM-ddTHH:mm:ss')) + '(\.\d+)?Z"')
            }
            $json | Should -Not -Match '\\/Date\('
        }
        if ([datetime] -in $objects[0].GetType().GetProperties().PropertyType) { $checked | Should -BeGreaterThan 0 }
    }

    It 'writes its enums by name' {
        $json = $objects[0] | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        foreach ($property in $objects[0].GetType().GetProperties() | Where-Object { ([Nullable]::GetUnderlyingType($_.PropertyType) ?? $_.PropertyType).IsEnum }) {
            $value = $property.GetValue($objects[0])
            if ($null -ne $value) { $json.($property.Name) | Should -BeExactly $value.ToString() -Because "$Type.$($property.Name) is an enum" }
        }
    }

    It 'has a table view and a list view' {
        $formatViews | Where-Object { $_.TypeName -eq $Type -and $_.Control -eq 'Table' } | Should -Not -BeNullOrEmpty
        $formatViews | Where-Object { $_.TypeName -eq $Type -and $_.Control -eq 'List' } | Should -Not -BeNullOrEmpty
    }

    It 'reads at <_> columns: every column of the default table, no header wrapped, no value cut short' -ForEach 80, 160 {
        $width = $_
        $text = $objects | Select-Object -First 10 | Format-Table | Out-String -Width $width
        $header = Get-TableHeader $text
        foreach ($label in $view.Labels) { $header | Should -Match "(^|\s)$([regex]::Escape($label))(\s|$)" -Because "column $label must fit in $width columns:`n$text" }
        $text | Should -Not -Match '…' -Because "a typical value must not be cut short:`n$text"
        $text -split '\r?\n' | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual $width }
    }

    It 'shows every column of its Wide view at 160 columns' {
        if (-not $wide) { $view.Labels.Count | Should -BeGreaterThan 0; return }
        $text = $objects | Select-Object -First 10 | Format-Table -View Wide | Out-String -Width 160
        $header = Get-TableHeader $text
        foreach ($label in $wide.Labels) { $header | Should -Match "(^|\s)$([regex]::Escape($label))(\s|$)" -Because "column $label must fit in 160 columns:`n$text" }
        $text | Should -Not -Match '…' -Because "a typical value must not be cut short:`n$text"
    }

    It 'reads as a list: kubectl ages, key=value maps, no raw TimeSpan, collection or type name' {
        $text = $objects | Select-Object -First 1 | Format-List | Out-String -Width 80
        $text | Should -Not -Match '\{\[' -Because "maps show as key=value:`n$text"
        $text | Should -Not -Match ':\s+\{' -Because "collections show as comma lists:`n$text"
        $text | Should -Not -Match '\d\d:\d\d:\d\d\.\d{3}' -Because "durations show as kubectl ages:`n$text"
        $text | Should -Not -Match 'System\.|ClusterManagement\.' -Because "no value shows as its type name:`n$text"
    }
}

Describe 'Output type coverage' -ForEach @(@{ Samples = $samples }) {
    It 'labels every column and list item of every view with a property name of its type' {
        $wrong = foreach ($view in $formatViews) {
            $names = ([type] $view.TypeName).GetProperties().Name
            $view.Labels | Where-Object { $_ -notin $names } | ForEach-Object { "$($view.TypeName) view $($view.Name): $_" }
        }
        $wrong | Should -BeNullOrEmpty
    }

    It 'has a sample for every output type the cmdlets declare' {
        $declared = Get-Command -Module ClusterManagement | ForEach-Object { $_.OutputType.Name } | Where-Object { $_ -ne 'System.Void' } | Sort-Object -Unique
        $declared | Where-Object { $_ -notin $Samples.Type } | Should -BeNullOrEmpty
    }

    It 'has a sample for every type a table view is defined for' {
        $tableViews.TypeName | Where-Object { $_ -notin $Samples.Type } | Should -BeNullOrEmpty
    }
}
