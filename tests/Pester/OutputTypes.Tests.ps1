# How every output type reaches people and the next pipeline step. As JSON (steps hand results on):
# whole with ConvertTo-Json -Depth 4 (no cycles, nothing cut off), without SDK objects, timestamps in
# ISO 8601 UTC, durations as ISO 8601 strings, enums by name, and back with the same values. As CSV: lists
# as a;b and maps as k=v;k2=v2. In a console: a default table that reads at 80 columns (no header wrapped
# letter by letter, no value cut short) and a list view for Format-List and mixed output, with every
# column labelled by a property name so that Format-Table <Label> works.
BeforeDiscovery {
    # One row per output type: a command that produces real instances from the sandbox.
    # Built: rows whose objects only real node hosts produce say so in their test names.
    $samples = @(
        @{ Type = 'ClusterManagement.Connection.ClusterContext'; Built = ''; Produce = { Get-ClusterContext } }
        @{ Type = 'ClusterManagement.Nodes.ClusterNode'; Built = ''; Produce = { Get-ClusterNode } }
        @{ Type = 'ClusterManagement.Nodes.NodePod'; Built = ''; Produce = { Get-NodePod -Node worker-1 } }
        @{ Type = 'ClusterManagement.Nodes.NodeDrainResult'; Built = ''; Produce = {
                Suspend-ClusterNode -Name worker-3 -Drain -IgnoreDaemonSets -DeleteEmptyDirData -Force -Timeout 60
                Resume-ClusterNode -Name worker-3 -Force
            }
        }
        @{ Type = 'ClusterManagement.Network.NodeNetwork'; Built = ''; Produce = { Get-ClusterNetwork } }
        @{ Type = 'ClusterManagement.Network.ClusterNetworkSummary'; Built = ''; Produce = { Get-ClusterNetwork -Summary } }
        @{ Type = 'ClusterManagement.Apps.ClusterApp'; Built = ''; Produce = { Get-ClusterApp -Detailed } }
        @{ Type = 'ClusterManagement.Apps.AppRollout'; Built = ''; Produce = { Publish-AppVersion -Name web -Image nginx:1.28 -Wait -Force } }
        @{ Type = 'ClusterManagement.Apps.AppRevision'; Built = ''; Produce = { Get-AppRevision -Name web } }
        @{ Type = 'ClusterManagement.Events.ClusterEvent'; Built = ''; Produce = { Get-ClusterEvent } }
        @{ Type = 'ClusterManagement.Manifests.AppliedObject'; Built = ''; Produce = {
                $file = Join-Path $TestDrive 'settings.yaml'
                Set-Content $file "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: json-settings`ndata:`n  mode: fast"
                Publish-ClusterManifest -Path $file -Confirm:$false
            }
        }
        @{ Type = 'ClusterManagement.Storage.StorageClass'; Built = ''; Produce = { Get-StorageClass } }
        @{ Type = 'ClusterManagement.Storage.CsiDriver'; Built = ''; Produce = { Get-CsiDriver } }
        @{ Type = 'ClusterManagement.Storage.CsiVolumeClaim'; Built = ''; Produce = { New-CsiVolumeClaim -Name json-data -Size 1Gi -Wait -Timeout 60 } }
        @{ Type = 'ClusterManagement.Storage.CsiVolume'; Built = ''; Produce = { Get-CsiVolume } }
        # Node hosts and their engines exist only on the fleet (NodeHosts.Tests.ps1, NodeNetwork.Tests.ps1
        # check these come back from real hosts); here they are built with the values those hosts report.
        @{ Type = 'ClusterManagement.NodeHosts.NodeDocker'; Built = ' (fleet-only: built in the test)'; Produce = {
                [ClusterManagement.NodeHosts.NodeDocker]@{ Node = 'worker-1'; State = 'Running'; Version = '20.10.24+dfsg1'; ApiVersion = '1.41'; Containerd = '1.6.20~ds1'
                    ContainerdBuild = '1.6.20~ds1-1+deb12u2'; Runc = '1.1.5'; Os = 'linux'; Kernel = '6.1.0-27-amd64'; StorageDriver = 'overlay2'; CgroupDriver = 'systemd'; PodRuntime = 'containerd://1.6.20~ds1'
                    Endpoint = 'ssh://cmadmin@127.0.0.172:2372/var/run/docker.sock' }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeDockerUpgrade'; Built = ' (fleet-only: built in the test)'; Produce = {
                [ClusterManagement.NodeHosts.NodeDockerUpgrade]@{ Node = 'worker-1'; Batch = 1; From = 'docker.io 20.10.24+dfsg1-1+deb12u1+b6, containerd 1.6.20~ds1-1+deb12u2'
                    To = 'docker.io 20.10.24+dfsg1-1+deb12u1+b6, containerd 1.6.20~ds1-1+deb12u3'; Drained = $true; Duration = 'PT21S'; UnavailableFor = 'PT9S'; Status = 'Upgraded' }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeUpgradePlan'; Built = ' (fleet-only: built in the test)'; Produce = {
                [ClusterManagement.NodeHosts.NodeUpgradePlan]@{ Node = 'worker-1'; Step = 'Worker'; KubeletVersion = 'v1.31.4'; KubeadmVersion = 'v1.31.4'; ApiServerVersion = 'v1.32.4'; Target = 'v1.32.4'
                    Available = @('1.33.4-1.1', '1.32.4-1.1', '1.31.4-1.1'); Held = @('kubeadm', 'kubelet'); Blockers = @('the node is NotReady (an upgrade could not tell whether it broke the kubelet)') }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeKubernetesUpgrade'; Built = ' (fleet-only: built in the test)'; Produce = {
                [ClusterManagement.NodeHosts.NodeKubernetesUpgrade]@{ Node = 'worker-1'; Batch = 2; Step = 'Worker'; From = 'v1.31.4'; To = 'v1.32.4'; Drained = $true; Duration = 'PT24S'; UnavailableFor = 'PT15S'; Status = 'Upgraded' }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeUnit'; Built = ' (fleet-only: built in the test)'; Produce = {
                [ClusterManagement.NodeHosts.NodeUnit]@{ Node = 'worker-1'; Name = 'containerd'; Description = 'containerd container runtime'; LoadState = 'loaded'
                    ActiveState = 'active'; SubState = 'running'; Enabled = 'enabled'; Since = [datetime]::SpecifyKind([datetime]'2026-11-25T01:57:39', 'Utc'); MainPid = 610 }
            }
        }
        @{ Type = 'ClusterManagement.NodeHosts.NodeBackup'; Built = ' (fleet-only: built in the test)'; Produce = {
                [ClusterManagement.NodeHosts.NodeBackup]@{ Node = 'worker-1'; Path = '/home/admin/node-backups/worker-1-20261125T020511Z.tar.gz'; Files = 23; Bytes = 14562
                    Sha256 = '3f0c2a9e51b7d0c4a8e2f1b6c9d3e7a5b1f4c8d2e6a0b3c7d1e5f9a2b6c0d4e8'; EtcdSnapshot = $false; Created = [datetime]::SpecifyKind([datetime]'2026-11-25T02:05:11', 'Utc') }
            }
        }
        @{ Type = 'ClusterManagement.Network.EngineNetwork'; Built = ' (fleet-only: built in the test)'; Produce = {
                [ClusterManagement.Network.EngineNetwork]@{ Node = 'worker-1'; Name = 'apps'; Id = '5c1f0e7d2a9b'; Driver = 'bridge'; Scope = 'local'
                    Subnets = '198.18.40.0/24', 'fd00:198:18:40::/64'; Gateways = '198.18.40.1', 'fd00:198:18:40::1'; IPRanges = @('198.18.40.128/25'); Internal = $false
                    EnableIPv6 = $true; Containers = @('web-1'); Labels = [System.Collections.Generic.Dictionary[string, string]]::new() }
            }
        }
        @{ Type = 'ClusterManagement.Network.NodeRoute'; Built = ' (fleet-only: built in the test)'; Produce = {
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
                # No TimeSpan: ConvertTo-Json writes it as a 15-field object; durations are ISO 8601 strings.
                if ($t.IsPrimitive -or $t.IsEnum -or $t -in [string], [decimal], [datetime], [datetimeoffset], [guid]) { continue }
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
        if ($Value -is [string] -or $Value.GetType().IsPrimitive -or $Value -is [enum]) { return }
        if ($Value -is [System.Collections.IDictionary]) { foreach ($key in $Value.Keys) { Get-DateTimeValue $Value[$key] "$Path.$key" ($Depth + 1) }; return }
        if ($Value -is [System.Collections.IEnumerable]) { $i = 0; foreach ($item in $Value) { Get-DateTimeValue $item "$Path[$i]" ($Depth + 1); $i++ }; return }
        foreach ($property in $Value.GetType().GetProperties([System.Reflection.BindingFlags] 'Public, Instance')) {
            Get-DateTimeValue $property.GetValue($Value) "$Path.$($property.Name)" ($Depth + 1)
        }
    }

    function Get-CsvExpectation {
        <# The text Export-Csv should write for a property value: lists as a;b, maps as k=v;k2=v2 sorted by key, enums by name. #>
        param($Value)
        if ($null -eq $Value) { return '' }
        if ($Value -is [System.Collections.IDictionary]) {
            [string[]] $keys = @($Value.Keys)
            [array]::Sort($keys, [StringComparer]::Ordinal)
            return (@($keys | ForEach-Object { "$_=$($Value[$_])" }) -join ';')
        }
        if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [string]) { return (@($Value | ForEach-Object { "$_" }) -join ';') }
        "$Value"
    }

    function Assert-SameValue {
        <# A value read back from JSON against the original: lists item by item, maps key by key, times as the same instant, enums by name. #>
        param($Expected, $Actual, [string] $Path)
        if ($null -eq $Expected) { $Actual | Should -BeNullOrEmpty -Because $Path; return }
        if ($Expected -is [datetime]) { ([datetimeoffset] $Actual).UtcDateTime | Should -Be $Expected.ToUniversalTime() -Because $Path; return }
        if ($Expected -is [enum]) { $Actual | Should -BeExactly $Expected.ToString() -Because $Path; return }
        if ($Expected -is [System.Collections.IDictionary]) {
            (@($Actual.PSObject.Properties.Name) -join ',') | Should -BeExactly (@($Expected.Keys) -join ',') -Because $Path
            foreach ($key in $Expected.Keys) { $Actual.$key | Should -BeExactly $Expected[$key] -Because "$Path.$key" }
            return
        }
        if ($Expected -is [System.Collections.IEnumerable] -and $Expected -isnot [string]) {
            $items = @($Expected)
            $back = @($Actual)
            $back.Count | Should -Be $items.Count -Because $Path
            for ($i = 0; $i -lt $items.Count; $i++) { Assert-SameValue $items[$i] $back[$i] "$Path[$i]" }
            return
        }
        if ($Expected.GetType().Namespace -like 'ClusterManagement.*') {
            foreach ($property in $Expected.GetType().GetProperties()) { Assert-SameValue $property.GetValue($Expected) $Actual.($property.Name) "$Path.$($property.Name)" }
            return
        }
        $Actual | Should -BeExactly $Expected -Because $Path
    }

    $formatViews = @(Get-FormatView (Join-Path (Get-ModuleUnderTest) 'Formats'))
    $tableViews = @($formatViews | Where-Object Control -eq 'Table')
}

AfterAll {
    Stop-TestCluster $cluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe '<Type> as JSON, as CSV and in a console<Built>' -ForEach $samples {
    BeforeAll {
        $objects = @(& $Produce | Where-Object { $_.GetType().FullName -eq $Type })
        $view = $tableViews | Where-Object TypeName -eq $Type | Where-Object Name -ne 'Wide' | Select-Object -First 1
        $wide = $tableViews | Where-Object TypeName -eq $Type | Where-Object Name -eq 'Wide'
        $properties = $objects[0].GetType().GetProperties()
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

    It 'keeps every property as a readable CSV column: lists as a;b, maps as k=v;k2=v2, enums by name, times as the same instant' {
        $file = Join-Path $TestDrive "$Type.csv"
        $objects | Export-Csv -Path $file
        $rows = @(Import-Csv -Path $file)
        $rows.Count | Should -Be $objects.Count
        ($rows[0].PSObject.Properties.Name -join ',') | Should -BeExactly ($properties.Name -join ',')
        for ($i = 0; $i -lt $objects.Count; $i++) {
            foreach ($property in $properties) {
                $value = $property.GetValue($objects[$i])
                $cell = $rows[$i].($property.Name)
                $because = "$Type.$($property.Name) of object $i"
                $cell | Should -Not -Match 'System\.|ClusterManagement\.|\{\[' -Because "$because is a value, not a type name"
                if ($value -is [datetime]) {
                    # Export-Csv writes a DateTime in the session's culture, to the second; it must read back as the same instant.
                    [datetime]::Parse($cell, [cultureinfo]::CurrentCulture) | Should -Be $value.AddTicks(-($value.Ticks % [timespan]::TicksPerSecond)) -Because $because
                    continue
                }
                $cell | Should -BeExactly (Get-CsvExpectation $value) -Because $because
            }
        }
    }

    It 'comes back from JSON with the same values: names, lists, maps, the same instants, enums by name' {
        $back = @($objects | ConvertTo-Json -Depth 4 | ConvertFrom-Json)
        $back.Count | Should -Be $objects.Count
        for ($i = 0; $i -lt $objects.Count; $i++) {
            foreach ($property in $properties) { Assert-SameValue $property.GetValue($objects[$i]) $back[$i].($property.Name) "$Type[$i].$($property.Name)" }
        }
    }

    It 'holds ages and durations as ISO 8601 text; an age is the time since Created' {
        foreach ($object in $objects) {
            foreach ($name in 'Age', 'Duration' | Where-Object { $_ -in $properties.Name }) {
                $object.$name | Should -Match '^P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$' -Because "$Type.$name is an ISO 8601 duration"
            }
            if ('Age' -in $properties.Name) {
                $since = [datetime]::UtcNow - $object.Created
                $age = [System.Xml.XmlConvert]::ToTimeSpan($object.Age)
                [math]::Abs(($since - $age).TotalSeconds) | Should -BeLessThan 300 -Because "$Type.Age ($($object.Age)) is the time since $($object.Created.ToString('o'))"
            }
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

Describe 'Mixed output' {
    It 'reads in a console when a drain writes its result and then the node (-PassThru): no [k, v] pairs, raw TimeSpans or type names' {
        try {
            $text = Suspend-ClusterNode -Name worker-2 -Drain -IgnoreDaemonSets -DeleteEmptyDirData -Force -Timeout 60 -PassThru | Out-String -Width 120
        } finally {
            Resume-ClusterNode -Name worker-2 -Force
        }
        $text | Should -Match 'worker-2' -Because "both the drain result and the node are shown:`n$text"
        $text | Should -Match 'Labels\s+:\s+\S+=' -Because "the node's labels read as key=value:`n$text"
        $text | Should -Not -Match '\{\[' -Because "maps show as key=value:`n$text"
        $text | Should -Not -Match '\d\.\d\d:\d\d:\d\d|\d\d:\d\d:\d\d\.\d' -Because "durations are not raw TimeSpans:`n$text"
        $text | Should -Not -Match 'System\.|ClusterManagement\.' -Because "no value shows as its type name:`n$text"
    }
}

Describe 'Output type coverage' -ForEach @(@{ Samples = $samples }) {
    It 'labels every column and list item of every view with a property name of its type' {
        $wrong = foreach ($view in $formatViews) {
            # A view for output of several contexts selects the type's name with #Contexts (Fleets.Format.ps1xml, written by the build).
            $names = ([type] ($view.TypeName -replace '#Contexts$')).GetProperties().Name
            $view.Labels | Where-Object { $_ -notin $names } | ForEach-Object { "$($view.TypeName) view $($view.Name): $_" }
        }
        $wrong | Should -BeNullOrEmpty
    }

    It 'has a sample for every output type the cmdlets declare' {
        $declared = Get-Command -Module ClusterManagement | ForEach-Object { $_.OutputType.Name } | Where-Object { $_ -ne 'System.Void' } | Sort-Object -Unique
        $declared | Where-Object { $_ -notin $Samples.Type } | Should -BeNullOrEmpty
    }

    It 'gives the default table of every type that names its context a twin with a Context column first, or grouped by Context' {
        $defaults = @($tableViews | Where-Object { $_.TypeName -notlike '*#Contexts' -and [ClusterManagement.Connection.IClusterObject].IsAssignableFrom([type] $_.TypeName) } |
            Group-Object TypeName | ForEach-Object { $_.Group[0] })
        $defaults.Count | Should -BeGreaterOrEqual 9
        foreach ($view in $defaults) {
            $twin = @($tableViews | Where-Object TypeName -eq "$($view.TypeName)#Contexts")
            $twin.Count | Should -Be 1 -Because "$($view.TypeName) names its context"
            # A table grouped already (NodePod by node) keeps its grouping and gets the column.
            $grouped = ([xml] (Get-Content (Join-Path (Get-ModuleUnderTest) 'Formats/Fleets.Format.ps1xml') -Raw)).SelectSingleNode("//View[ViewSelectedBy/TypeName='$($view.TypeName)#Contexts']/GroupBy[PropertyName='Context']")
            $expected = $grouped ? $view.Labels : @('Context') + $view.Labels
            $twin[0].Labels | Should -Be $expected -Because "$($view.TypeName)'s default table with the Context column first, or grouped by it"
        }
    }

    It 'has a sample for every type a table view is defined for' {
        $tableViews.TypeName -replace '#Contexts$' | Where-Object { $_ -notin $Samples.Type } | Should -BeNullOrEmpty
    }
}
