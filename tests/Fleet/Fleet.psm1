#Requires -Version 7.4
# Real node hosts for ClusterManagement's tests: a private dockerd on this machine runs
# systemd + sshd containers that behave like small Debian servers on their own loopback
# addresses. Everything the fleet starts lives under one work directory and is removed by
# Stop-Fleet / Stop-FleetEngine; nothing of another docker engine on the machine is touched.
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PSScriptRoot '../TestCluster.psm1')

$script:CacheRoot = Join-Path $HOME '.cache/clustermanagement/fleet'
$script:NodeLabel = 'io.clustermanagement.fleet'
# The engine most recently started in this session, so that callers need not thread it
# through every call.
$script:CurrentEngine = $null
$script:AptListsUpdated = $false

# Command the fleet runs on the host => the Debian package that provides it.
$script:Prerequisites = [ordered]@{
    dockerd          = 'docker.io'
    docker           = 'docker.io'
    debootstrap      = 'debootstrap'
    zstd             = 'zstd'
    'dpkg-deb'       = 'dpkg'
    'apt-ftparchive' = 'apt-utils'
    ssh              = 'openssh-client'
    'ssh-keygen'     = 'openssh-client'
    ss               = 'iproute2'
}

#region private helpers

function Invoke-FleetNative {
    # Runs a native command and throws with its output when it fails, so that callers read
    # like PowerShell and every failure says what the command printed.
    param(
        [Parameter(Mandatory)][string]$FilePath,
        [string[]]$ArgumentList = @(),
        [switch]$AllowFailure
    )
    # Exit codes are judged here, whatever the caller's session prefers.
    $PSNativeCommandUseErrorActionPreference = $false
    $output = & $FilePath @ArgumentList 2>&1 | ForEach-Object { "$_" }
    $code = $LASTEXITCODE
    if ($code -ne 0 -and -not $AllowFailure) {
        $text = ($output | Select-Object -Last 40) -join "`n"
        throw "$FilePath $($ArgumentList -join ' ') failed with exit code ${code}:`n$text"
    }
    if ($AllowFailure) {
        [pscustomobject]@{ ExitCode = $code; Output = @($output) }
    }
    else {
        $output
    }
}

function Invoke-FleetDocker {
    param(
        [Parameter(Mandatory)]$Engine,
        [Parameter(Mandatory)][string[]]$ArgumentList,
        [switch]$AllowFailure
    )
    Invoke-FleetNative -FilePath docker -ArgumentList (@('--host', "unix://$($Engine.Socket)") + $ArgumentList) -AllowFailure:$AllowFailure
}

function Resolve-FleetEngine {
    param($Engine)
    if ($Engine) { return $Engine }
    if ($script:CurrentEngine) { return $script:CurrentEngine }
    throw 'No fleet engine: run Start-FleetEngine (or Start-Fleet) first, or pass -Engine.'
}

function Wait-FleetCondition {
    # Polls $Condition until it returns a truthy value or $TimeoutSec pass; every wait in
    # the fleet is bounded so a broken node fails the run instead of hanging it.
    param(
        [Parameter(Mandatory)][scriptblock]$Condition,
        [Parameter(Mandatory)][string]$Activity,
        [double]$TimeoutSec = 30,
        [int]$IntervalMs = 200
    )
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ($true) {
        $result = & $Condition
        if ($result) { return $result }
        if ([DateTime]::UtcNow -ge $deadline) {
            throw "Timed out after $TimeoutSec s waiting for $Activity."
        }
        Start-Sleep -Milliseconds $IntervalMs
    }
}

function Get-FleetContentHash {
    # A cache key over every file of a recipe folder plus extra inputs (mirror URLs), so a
    # change to any of them builds afresh instead of reusing a stale artifact.
    param([Parameter(Mandatory)][string]$Folder, [string[]]$Extra = @())
    $sha = [System.Security.Cryptography.IncrementalHash]::CreateHash('SHA256')
    try {
        foreach ($file in Get-ChildItem -LiteralPath $Folder -Recurse -File | Sort-Object FullName) {
            $relative = [IO.Path]::GetRelativePath($Folder, $file.FullName)
            $sha.AppendData([Text.Encoding]::UTF8.GetBytes("$relative`n"))
            $sha.AppendData([IO.File]::ReadAllBytes($file.FullName))
            # The executable bit is part of the recipe: the scripts run in the node.
            $sha.AppendData([Text.Encoding]::UTF8.GetBytes("$($file.UnixFileMode)`n"))
        }
        foreach ($item in $Extra) { $sha.AppendData([Text.Encoding]::UTF8.GetBytes("$item`n")) }
        [Convert]::ToHexString($sha.GetHashAndReset()).ToLowerInvariant().Substring(0, 12)
    }
    finally { $sha.Dispose() }
}

function Get-FleetAptMirror {
    # The node image must come from the mirror this machine is configured for (the only one
    # reachable here), so it is read from the machine's own apt sources.
    $suites = @{}
    $files = @(Get-ChildItem /etc/apt/sources.list.d -File -ErrorAction SilentlyContinue |
            Where-Object { $_.Name -like '*.sources' -or $_.Name -like '*.list' })
    if (Test-Path /etc/apt/sources.list) { $files += Get-Item /etc/apt/sources.list }
    foreach ($file in $files) {
        $text = Get-Content -Raw -LiteralPath $file.FullName
        if (-not $text) { continue }
        if ($file.Name -like '*.sources') {
            foreach ($stanza in $text -split '\n\s*\n') {
                $fields = @{}
                foreach ($line in $stanza -split '\n') {
                    if ($line -match '^([A-Za-z-]+):\s*(.*)$') { $fields[$Matches[1].ToLowerInvariant()] = $Matches[2].Trim() }
                }
                if ($fields['enabled'] -eq 'no' -or $fields['types'] -notmatch '\bdeb\b' -or -not $fields['uris']) { continue }
                foreach ($suite in $fields['suites'] -split '\s+') {
                    if (-not $suites.ContainsKey($suite)) { $suites[$suite] = ($fields['uris'] -split '\s+')[0] }
                }
            }
        }
        else {
            foreach ($line in $text -split '\n') {
                if ($line -match '^\s*deb\s+(\[[^\]]*\]\s+)?(\S+)\s+(\S+)') {
                    if (-not $suites.ContainsKey($Matches[3])) { $suites[$Matches[3]] = $Matches[2] }
                }
            }
        }
    }
    if (-not $suites.ContainsKey('bookworm')) {
        throw 'No apt source for Debian bookworm in /etc/apt/sources.list(.d): the fleet image needs its mirror.'
    }
    [pscustomobject]@{
        Mirror         = $suites['bookworm']
        # Without a security source the image still builds; it then lacks containerd's
        # bookworm-security version.
        SecurityMirror = $suites['bookworm-security']
    }
}

function Get-FleetMount {
    param([Parameter(Mandatory)][string]$Path)
    $prefix = $Path.TrimEnd('/')
    Get-Content /proc/self/mountinfo | ForEach-Object {
        # mountinfo escapes blanks and backslashes in octal.
        [regex]::Replace(($_ -split ' ')[4], '\\([0-7]{3})', { param($m) [char][Convert]::ToInt32($m.Groups[1].Value, 8) })
    } | Where-Object { $_ -eq $prefix -or $_.StartsWith("$prefix/") } |
        Sort-Object -Property Length -Descending -Unique
}

function Remove-FleetDirectory {
    # Unmounts everything at or below $Path (deepest first: dockerd and debootstrap leave bind,
    # overlay and proc mounts behind when killed), then deletes it. A mount that will not go
    # keeps the folder, so deleting can never reach into /proc or a bound host folder.
    param([Parameter(Mandatory)][string]$Path)
    foreach ($mount in Get-FleetMount -Path $Path) {
        $result = Invoke-FleetNative umount $mount -AllowFailure
        if ($result.ExitCode -ne 0) { Invoke-FleetNative umount '-l', $mount -AllowFailure | Out-Null }
    }
    if (Get-FleetMount -Path $Path) {
        Write-Warning "Not deleting ${Path}: something is still mounted below it."
    }
    elseif (Test-Path -LiteralPath $Path) {
        # rm, not Remove-Item: an engine's data root holds tens of thousands of files, which
        # Remove-Item takes ten times as long to delete.
        Invoke-FleetNative rm '-rf', '--one-file-system', '--', $Path | Out-Null
    }
}

function Remove-FleetStaleBuild {
    # A build killed midway (a CI timeout) leaves a half-made rootfs with debootstrap's /proc
    # mount; the owner PID in the folder name and the absence of processes using the folder
    # tell that nobody will finish it.
    foreach ($dir in Get-ChildItem /tmp -Directory -Filter 'cm-fleet-build-*' -ErrorAction SilentlyContinue) {
        if ($dir.Name -match '^cm-fleet-build-(\d+)-' -and -not (Test-FleetProcess $Matches[1]) -and -not (Get-FleetProcessId -WorkDir $dir.FullName)) {
            Remove-FleetDirectory -Path $dir.FullName
        }
    }
}

function Test-FleetPortFree {
    param([string]$Address, [int]$Port)
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Parse($Address), $Port)
    try { $listener.Start(); $true }
    catch { $false }
    finally { $listener.Stop() }
}

function Get-FleetProcessId {
    # Processes whose command line names a fleet folder (an engine's work directory, a build
    # directory).
    param([Parameter(Mandatory)][string]$WorkDir)
    foreach ($dir in Get-ChildItem /proc -Directory -ErrorAction SilentlyContinue) {
        if ($dir.Name -notmatch '^\d+$') { continue }
        try { $cmdline = [IO.File]::ReadAllText("$($dir.FullName)/cmdline") } catch { continue }
        if ($cmdline.Contains($WorkDir)) { [int]$dir.Name }
    }
}

function Test-FleetProcess {
    param([int]$ProcessId)
    Test-Path "/proc/$ProcessId"
}

#endregion

#region prerequisites

function Test-FleetPrerequisite {
    <#
    .SYNOPSIS
    Reports whether this machine can run the fleet.
    .DESCRIPTION
    The fleet needs root (dockerd, debootstrap, mounts), a Debian-family system (the node
    image is debootstrapped from the machine's own Debian mirror) and a few Debian packages.
    Returns one object: Ready, IsRoot, IsDebian, MissingPackages and Problems (readable
    reasons, empty when Ready).
    .EXAMPLE
    PS> $check = Test-FleetPrerequisite; if (-not $check.Ready) { $check.Problems }
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param()
    $isRoot = $IsLinux -and ((Invoke-FleetNative id '-u') -eq '0')
    $osRelease = if (Test-Path /etc/os-release) { Get-Content -Raw /etc/os-release } else { '' }
    $isDebian = $osRelease -match '(?m)^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b'
    $missing = @($script:Prerequisites.GetEnumerator() |
            Where-Object { -not (Get-Command $_.Key -CommandType Application -ErrorAction SilentlyContinue) } |
            ForEach-Object Value | Select-Object -Unique)
    $problems = @()
    if (-not $IsLinux) { $problems += 'The fleet runs on Linux only.' }
    elseif (-not $isRoot) { $problems += 'The fleet needs root (dockerd, debootstrap and mounts).' }
    if ($IsLinux -and -not $isDebian) { $problems += 'The fleet needs Debian or Ubuntu (debootstrap from the machine''s Debian mirror).' }
    if ($missing) { $problems += "Missing packages: $($missing -join ', ') (Install-FleetPrerequisite installs them)." }
    [pscustomobject]@{
        PSTypeName      = 'ClusterManagement.Fleet.Prerequisite'
        Ready           = $problems.Count -eq 0
        IsRoot          = $isRoot
        IsDebian        = $isDebian
        MissingPackages = $missing
        Problems        = $problems
    }
}

function Install-FleetPrerequisite {
    <#
    .SYNOPSIS
    Installs the Debian packages the fleet needs, when running as root on Debian/Ubuntu.
    .DESCRIPTION
    Runs apt-get update (once per session) and apt-get install for the packages
    Test-FleetPrerequisite reports missing. Throws, naming what is missing, when it cannot
    install (not root, not Debian). Returns the result of Test-FleetPrerequisite afterwards.
    .EXAMPLE
    PS> Install-FleetPrerequisite
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([pscustomobject])]
    param()
    $check = Test-FleetPrerequisite
    if ($check.MissingPackages.Count -gt 0) {
        if (-not ($check.IsRoot -and $check.IsDebian)) {
            throw "Cannot install the fleet's prerequisites here: $($check.Problems -join ' ')"
        }
        if ($PSCmdlet.ShouldProcess($check.MissingPackages -join ', ', 'apt-get install')) {
            if (-not $script:AptListsUpdated) {
                Invoke-FleetNative apt-get 'update', '-qq' | Out-Null
                $script:AptListsUpdated = $true
            }
            Invoke-FleetNative env (@('DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends') + $check.MissingPackages) | Write-Verbose
        }
        $check = Test-FleetPrerequisite
    }
    $check
}

#endregion

#region engine

function Start-FleetEngine {
    <#
    .SYNOPSIS
    Starts a private Docker engine for the fleet.
    .DESCRIPTION
    Runs Debian's dockerd as root with its own socket, data root, exec root, pid file,
    config file and cgroup parent under WorkDir, without a bridge, iptables or IP
    masquerading, so it never touches another engine or the host's network. Also creates the
    fleet's SSH key pair (ed25519) and known_hosts file in WorkDir. Waits (bounded) until the
    engine answers. The engine becomes the session's current engine, which the other Fleet
    functions use when -Engine is not given.
    .PARAMETER WorkDir
    Folder for everything the engine and its nodes keep; created, and removed by
    Stop-FleetEngine. Default: /tmp/cm-fleet-<pid>-<random>.
    .PARAMETER TimeoutSec
    How long to wait for the engine to answer.
    .OUTPUTS
    ClusterManagement.Fleet.Engine: Socket, Pid, WorkDir, KeyPath, KnownHostsPath, LogPath.
    .EXAMPLE
    PS> $engine = Start-FleetEngine
    PS> docker --host "unix://$($engine.Socket)" ps
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([pscustomobject])]
    param(
        [string]$WorkDir = (Join-Path '/tmp' "cm-fleet-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 6))"),
        [int]$TimeoutSec = 30
    )
    if (-not $PSCmdlet.ShouldProcess($WorkDir, 'Start private dockerd')) { return }
    New-Item -ItemType Directory -Force -Path $WorkDir, "$WorkDir/nodes" | Out-Null
    $engine = [pscustomobject]@{
        PSTypeName     = 'ClusterManagement.Fleet.Engine'
        Socket         = "$WorkDir/docker.sock"
        Pid            = 0
        WorkDir        = $WorkDir
        KeyPath        = "$WorkDir/id_ed25519"
        KnownHostsPath = "$WorkDir/known_hosts"
        LogPath        = "$WorkDir/dockerd.log"
    }
    try {
        Invoke-FleetNative ssh-keygen '-q', '-t', 'ed25519', '-N', '', '-C', 'clustermanagement-fleet', '-f', $engine.KeyPath | Out-Null
        New-Item -ItemType File -Path $engine.KnownHostsPath | Out-Null
        # An empty config file keeps a machine-wide /etc/docker/daemon.json out of this engine.
        Set-Content -LiteralPath "$WorkDir/daemon.json" -Value '{}'
        $cgroupParent = Split-Path -Leaf $WorkDir
        $dockerdArgs = @(
            '--host', "unix://$($engine.Socket)", '--data-root', "$WorkDir/data", '--exec-root', "$WorkDir/exec",
            '--pidfile', "$WorkDir/dockerd.pid", '--config-file', "$WorkDir/daemon.json",
            '--bridge=none', '--iptables=false', '--ip-masq=false', '--cgroup-parent', $cgroupParent
        )
        # setsid: the engine must survive the terminal's Ctrl+C and must not die of a closed
        # pipe when this PowerShell process exits before Stop-FleetEngine runs.
        $launch = 'log=$1; shift; setsid "$@" > "$log" 2>&1 < /dev/null & echo $!'
        $engine.Pid = [int](Invoke-FleetNative bash (@('-c', $launch, 'fleet-engine', $engine.LogPath, 'dockerd') + $dockerdArgs) | Select-Object -Last 1)
        Wait-FleetCondition -Activity "dockerd at $($engine.Socket)" -TimeoutSec $TimeoutSec -Condition {
            if (-not (Test-FleetProcess $engine.Pid)) {
                throw "dockerd exited:`n$((Get-Content -LiteralPath $engine.LogPath -Tail 20 -ErrorAction SilentlyContinue) -join "`n")"
            }
            (Invoke-FleetDocker -Engine $engine -ArgumentList 'version', '--format', '{{.Server.Version}}' -AllowFailure).ExitCode -eq 0
        } | Out-Null
    }
    catch {
        Stop-FleetEngine -Engine $engine -Confirm:$false
        throw
    }
    $script:CurrentEngine = $engine
    $engine
}

function Stop-FleetEngine {
    <#
    .SYNOPSIS
    Stops a fleet engine and removes everything it left.
    .DESCRIPTION
    Sends SIGTERM to the engine's dockerd (by its PID), waits (bounded), kills it and its own
    containerd and shims if they linger, unmounts what remains mounted under the work
    directory, removes the engine's cgroups and deletes the work directory. Containers still
    running die with the engine; Stop-Fleet stops them first.
    .PARAMETER Engine
    The engine from Start-FleetEngine. Default: the session's current engine.
    .EXAMPLE
    PS> Stop-FleetEngine
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(ValueFromPipeline)]$Engine,
        [int]$TimeoutSec = 20
    )
    process {
        $Engine = Resolve-FleetEngine $Engine
        if (-not $PSCmdlet.ShouldProcess($Engine.WorkDir, 'Stop private dockerd')) { return }
        # Only a process whose command line names this work directory is ours: the PID of an
        # engine that died long ago may belong to something else by now.
        if ($Engine.Pid -in @(Get-FleetProcessId -WorkDir $Engine.WorkDir)) {
            Invoke-FleetNative kill '-TERM', $Engine.Pid -AllowFailure | Out-Null
            try {
                Wait-FleetCondition -Activity "dockerd $($Engine.Pid) to exit" -TimeoutSec $TimeoutSec -Condition { -not (Test-FleetProcess $Engine.Pid) } | Out-Null
            }
            catch {
                Write-Warning "dockerd $($Engine.Pid) did not stop within $TimeoutSec s; killing it."
                Invoke-FleetNative kill '-KILL', $Engine.Pid -AllowFailure | Out-Null
            }
        }
        # The engine's own containerd and shims outlive a dockerd that had to be killed; other
        # processes that merely name the folder (a `tail -f` of its log) are left alone.
        foreach ($leftover in @(Get-FleetProcessId -WorkDir $Engine.WorkDir)) {
            $command = Get-Content -LiteralPath "/proc/$leftover/comm" -ErrorAction SilentlyContinue
            if ($command -match '^(dockerd|containerd.*)$') { Invoke-FleetNative kill '-KILL', $leftover -AllowFailure | Out-Null }
        }
        $cgroupParent = Split-Path -Leaf $Engine.WorkDir
        $cgroups = @(Get-ChildItem /sys/fs/cgroup -Directory -ErrorAction SilentlyContinue |
                ForEach-Object { Join-Path $_.FullName $cgroupParent } | Where-Object { Test-Path -LiteralPath $_ })
        if ($cgroups) {
            # cgroup folders go with rmdir, deepest first (their files cannot be deleted).
            Invoke-FleetNative find ($cgroups + @('-depth', '-type', 'd', '-exec', 'rmdir', '{}', '+')) -AllowFailure | Out-Null
        }
        Remove-FleetDirectory -Path $Engine.WorkDir
        if ($script:CurrentEngine -and $script:CurrentEngine.WorkDir -eq $Engine.WorkDir) { $script:CurrentEngine = $null }
    }
}

#endregion

#region image and repository

function Build-FleetImage {
    <#
    .SYNOPSIS
    Builds (or finds in the cache) the node image as a zstd tarball.
    .DESCRIPTION
    debootstraps a Debian bookworm minbase root filesystem from the machine's own Debian
    mirror with systemd, sshd, sudo, curl, jq, etcd and the fleet's node setup (see
    tests/Fleet/image), and caches it under ~/.cache/clustermanagement/fleet keyed by a hash
    of the recipe and the mirror. Variant Docker adds docker.io. A cached tarball is returned
    at once; a fresh build of Base takes about a minute.
    .PARAMETER Variant
    Base (no Docker engine: the module under test installs it) or Docker (docker.io
    pre-installed, for sandboxes and demos).
    .PARAMETER Force
    Rebuild even when the cache has the tarball.
    .OUTPUTS
    ClusterManagement.Fleet.Image: Variant, Tag, Path.
    .EXAMPLE
    PS> Build-FleetImage -Variant Docker
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [ValidateSet('Base', 'Docker')][string]$Variant = 'Base',
        [switch]$Force
    )
    $recipe = Join-Path $PSScriptRoot 'image'
    $mirror = Get-FleetAptMirror
    $hash = Get-FleetContentHash -Folder $recipe -Extra $mirror.Mirror, "$($mirror.SecurityMirror)", $Variant
    $image = [pscustomobject]@{
        PSTypeName = 'ClusterManagement.Fleet.Image'
        Variant    = $Variant
        Tag        = "cm-fleet-node:$($Variant.ToLowerInvariant())-$hash"
        Path       = Join-Path $script:CacheRoot "node-$($Variant.ToLowerInvariant())-$hash.tar.zst"
    }
    if ((Test-Path -LiteralPath $image.Path) -and -not $Force) {
        # Marks the tarball as in use for the cache pruning below.
        (Get-Item -LiteralPath $image.Path).LastWriteTimeUtc = [DateTime]::UtcNow
        return $image
    }

    Remove-FleetStaleBuild
    $base = if ($Variant -eq 'Docker') { Build-FleetImage -Variant Base }
    New-Item -ItemType Directory -Force -Path $script:CacheRoot | Out-Null
    $buildDir = Join-Path '/tmp' "cm-fleet-build-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
    $rootfs = Join-Path $buildDir 'rootfs'
    $partial = $null
    New-Item -ItemType Directory -Force -Path $rootfs | Out-Null
    try {
        Write-Verbose "Building fleet image $($image.Tag) in $buildDir"
        if ($base) {
            Invoke-FleetNative bash '-c', 'zstd -q -dc "$1" | tar --numeric-owner -xf - -C "$2"', 'extract', $base.Path, $rootfs | Out-Null
            Invoke-FleetNative bash (Join-Path $recipe 'add-docker.sh'), $rootfs | Write-Verbose
        }
        else {
            $security = if ($mirror.SecurityMirror) { $mirror.SecurityMirror } else { '' }
            Invoke-FleetNative bash (Join-Path $recipe 'build-rootfs.sh'), $rootfs, $mirror.Mirror, $security, (Join-Path $script:CacheRoot 'debs') | Write-Verbose
        }
        # Written beside the final name and renamed: a concurrent or interrupted build never
        # leaves a truncated tarball under the cached name.
        $partial = "$($image.Path).$PID.partial"
        Invoke-FleetNative bash '-c', 'tar --numeric-owner -C "$1" -cf - . | zstd -q -T0 -3 -o "$2"', 'pack', $rootfs, $partial | Out-Null
        Move-Item -LiteralPath $partial -Destination $image.Path -Force
        # Tarballs cost 60-150 MB each. Other checkouts of the repository (worktrees, branches)
        # share this cache with other recipes, so only those unused for a week go.
        Get-ChildItem -LiteralPath $script:CacheRoot -Filter 'node-*.tar.zst' |
            Where-Object LastWriteTimeUtc -LT ([DateTime]::UtcNow.AddDays(-7)) | Remove-Item -Force
    }
    finally {
        Remove-FleetDirectory -Path $buildDir
        if ($partial -and (Test-Path -LiteralPath $partial)) { Remove-Item -LiteralPath $partial -Force }
    }
    $image
}

function Import-FleetImage {
    <#
    .SYNOPSIS
    Makes the node image available in a fleet engine (building it if needed).
    .DESCRIPTION
    Imports the cached tarball from Build-FleetImage into the engine unless the engine
    already has that tag (about 2 s per import). Returns the image object.
    .EXAMPLE
    PS> Import-FleetImage -Variant Docker
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        $Engine,
        [ValidateSet('Base', 'Docker')][string]$Variant = 'Base'
    )
    $Engine = Resolve-FleetEngine $Engine
    $image = Build-FleetImage -Variant $Variant
    if ((Invoke-FleetDocker -Engine $Engine -ArgumentList 'image', 'inspect', $image.Tag -AllowFailure).ExitCode -ne 0) {
        Invoke-FleetNative bash '-c', 'zstd -q -dc "$1" | docker --host "unix://$2" import --change "CMD [\"/lib/systemd/systemd\"]" - "$3"',
            'import', $image.Path, $Engine.Socket, $image.Tag | Out-Null
    }
    $image
}

function Build-FleetAptRepository {
    <#
    .SYNOPSIS
    Builds (or finds in the cache) the fleet's local apt repository.
    .DESCRIPTION
    Builds stand-in kubelet and kubeadm packages in two versions each (1.31.4 and 1.32.4)
    with dpkg-deb and indexes them with apt-ftparchive (see tests/Fleet/packages). The
    repository is cached under ~/.cache/clustermanagement/fleet keyed by a hash of its
    sources; Start-FleetNode mounts it read-only at /srv/fleet-apt in every node, where the
    apt source "deb [trusted=yes] file:/srv/fleet-apt ./" uses it.
    .OUTPUTS
    System.String: the repository folder.
    .EXAMPLE
    PS> Build-FleetAptRepository
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([switch]$Force)
    $sources = Join-Path $PSScriptRoot 'packages'
    $hash = Get-FleetContentHash -Folder $sources
    $repo = Join-Path $script:CacheRoot "apt-$hash"
    if ((Test-Path -LiteralPath "$repo/Release") -and -not $Force) { return $repo }
    $partial = "$repo.$PID.partial"
    try {
        Invoke-FleetNative bash (Join-Path $sources 'build-repo.sh'), $partial | Write-Verbose
        if (Test-Path -LiteralPath $repo) { Remove-Item -LiteralPath $repo -Recurse -Force }
        Move-Item -LiteralPath $partial -Destination $repo
    }
    finally {
        if (Test-Path -LiteralPath $partial) { Remove-Item -LiteralPath $partial -Recurse -Force }
    }
    $repo
}

#endregion

#region nodes

function ConvertTo-FleetNode {
    # Node objects are rebuilt from the container's labels, so Get-FleetNode needs no state
    # beyond the engine itself.
    param([Parameter(Mandatory)]$Engine, [Parameter(Mandatory)][string]$ContainerId)
    $inspect = (Invoke-FleetDocker -Engine $Engine -ArgumentList 'inspect', $ContainerId) -join "`n" | ConvertFrom-Json
    $labels = $inspect[0].Config.Labels
    $fingerprintLine = Invoke-FleetDocker -Engine $Engine -ArgumentList 'exec', $ContainerId, 'ssh-keygen', '-lf', '/etc/ssh/ssh_host_ed25519_key.pub'
    $controlPlane = $labels."$script:NodeLabel.control-plane" -eq 'true'
    [pscustomobject]@{
        PSTypeName         = 'ClusterManagement.Fleet.Node'
        Name               = $inspect[0].Name.TrimStart('/')
        Address            = $labels."$script:NodeLabel.address"
        SshPort            = [int]$labels."$script:NodeLabel.ssh-port"
        User               = 'cmadmin'
        KeyPath            = $Engine.KeyPath
        KnownHostsPath     = $Engine.KnownHostsPath
        HostKeyFingerprint = (-split $fingerprintLine)[1]
        ControlPlane       = $controlPlane
        EtcdClientPort     = if ($controlPlane) { [int]$labels."$script:NodeLabel.etcd-client-port" } else { $null }
        ContainerId        = $inspect[0].Id
    }
}

function Start-FleetNode {
    <#
    .SYNOPSIS
    Starts one node host: a systemd + sshd container on its own loopback address.
    .DESCRIPTION
    Runs the node image on the fleet engine with host networking (without --privileged,
    see tests/Fleet/README.md for the flags), sshd listening on Address:SshPort only, the
    fleet's public key authorised for cmadmin (NOPASSWD sudo) and cmnopass (sudo asks for a
    password), a fresh ed25519 host key and the fleet's apt repository at /srv/fleet-apt. An
    engine installed on the node listens on its unix socket only, as on a real host: reach it
    with docker system dial-stdio over SSH.
    -ControlPlane also runs Debian's etcd on Address:EtcdClientPort. Waits (bounded) until SSH
    answers with the recorded host key (and etcd, on a control plane), and adds the host key
    to the fleet's known_hosts file.
    .PARAMETER Name
    Container name and host name.
    .PARAMETER Address
    The node's own loopback address (127.0.0.2 - 127.255.255.254), distinct per node.
    .PARAMETER SshPort
    The port sshd listens on at Address.
    .PARAMETER Variant
    Base (no docker.io) or Docker (docker.io pre-installed and running).
    .PARAMETER CniConfig
    Writes a CNI network configuration (Add-FleetCniConfig) once the node is up, as a cluster's
    network add-on would: without one, a joined kubelet reports the node NotReady ("cni plugin
    not initialized"), as a real one does.
    .PARAMETER OwnNetwork
    Gives the node its own network namespace instead of the host's, reached over a veth pair:
    the host end (named after the node, cm<Name>) gets PeerAddress, the node end (eth0 in the
    node) gets Address, and sshd listens on Address. Tests that change a node's routes need
    this: whatever they do stays in the node's namespace. Address and PeerAddress must then
    come from the benchmarking range 198.18.0.0/15. Stop-FleetNode removes the namespace and
    the veth pair.
    .PARAMETER PeerAddress
    With -OwnNetwork: the host end's address.
    .PARAMETER PrefixLength
    With -OwnNetwork: the prefix length of the veth pair's IPv4 subnet. Default 30.
    .PARAMETER Address6
    With -OwnNetwork: an IPv6 address (fd00:198:18:... ULA) for the node end, /64.
    .PARAMETER PeerAddress6
    With -OwnNetwork and -Address6: the host end's IPv6 address, /64.
    .OUTPUTS
    ClusterManagement.Fleet.Node: Name, Address, SshPort, User, KeyPath, KnownHostsPath,
    HostKeyFingerprint (SHA256:..., as ssh-keygen -lf prints it), ControlPlane,
    EtcdClientPort, ContainerId.
    .EXAMPLE
    PS> Start-FleetEngine | Out-Null
    PS> $node = Start-FleetNode -Name worker-1 -Address 127.0.0.21 -SshPort 2221
    PS> ssh -i $node.KeyPath -o UserKnownHostsFile=$($node.KnownHostsPath) -p $node.SshPort cmadmin@$($node.Address) hostname
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)][ValidatePattern('^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$')][string]$Name,
        [Parameter(Mandatory)][ValidateScript({ ($_ -match '^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$' -and $_ -ne '127.0.0.1') -or $_ -match '^198\.1[89]\.\d{1,3}\.\d{1,3}$' })][string]$Address,
        [Parameter(Mandatory)][ValidateRange(1, 65535)][int]$SshPort,
        [switch]$ControlPlane,
        [ValidateRange(1, 65535)][int]$EtcdClientPort = 2379,
        [ValidateRange(1, 65535)][int]$EtcdPeerPort = 2380,
        [ValidateSet('Base', 'Docker')][string]$Variant = 'Base',
        [switch]$CniConfig,
        [switch]$OwnNetwork,
        [ValidatePattern('^198\.1[89]\.\d{1,3}\.\d{1,3}$')][string]$PeerAddress,
        [ValidateRange(8, 30)][int]$PrefixLength = 30,
        [ValidatePattern('^fd00:198:18:[0-9a-f:]+$')][string]$Address6,
        [ValidatePattern('^fd00:198:18:[0-9a-f:]+$')][string]$PeerAddress6,
        [ValidateSet('SwapOn', 'IpForwardOff', 'Port10250Taken')][string[]]$Condition = @(),
        $Engine,
        [int]$TimeoutSec = 60
    )
    $Engine = Resolve-FleetEngine $Engine
    if ($OwnNetwork -ne ($Address -like '198.1*')) { throw 'A node with -OwnNetwork takes Address and PeerAddress from 198.18.0.0/15; one on the host network takes a 127.x address.' }
    if ($OwnNetwork -and -not $PeerAddress) { throw '-OwnNetwork needs -PeerAddress (the host end of the veth pair).' }
    if ([bool]$Address6 -ne [bool]$PeerAddress6) { throw '-Address6 and -PeerAddress6 go together.' }
    if (-not $PSCmdlet.ShouldProcess("$Name ($Address`:$SshPort)", 'Start fleet node')) { return }
    $network = if ($OwnNetwork) {
        New-FleetNodeNetwork -Engine $Engine -Name $Name -Address $Address -PeerAddress $PeerAddress -PrefixLength $PrefixLength -Address6 $Address6 -PeerAddress6 $PeerAddress6
    }
    try {
        $container = New-FleetNodeContainer -Engine $Engine -Name $Name -Address $Address -SshPort $SshPort `
            -ControlPlane:$ControlPlane -EtcdClientPort $EtcdClientPort -EtcdPeerPort $EtcdPeerPort -Variant $Variant -NetworkContainer $network
    }
    catch {
        if ($network) { Remove-FleetNodeNetwork -Engine $Engine -Name $Name }
        throw
    }
    $node = Wait-FleetNodeReady -Container $container -TimeoutSec $TimeoutSec
    if ($Condition) { Set-FleetNodeCondition -Name $Name -Condition $Condition -Engine $Engine }
    if ($CniConfig) { Add-FleetCniConfig -Name $Name -Engine $Engine }
    $node
}

function Add-FleetCniConfig {
    <#
    .SYNOPSIS
    Writes a CNI network configuration on a node, as a cluster's network add-on does.
    .DESCRIPTION
    Puts /etc/cni/net.d/10-fleet.conflist (a bridge network without IP masquerading) on the
    node. containerd's CRI plugin loads it and reports NetworkReady, so a joined kubelet turns
    the node Ready; before, the node is NotReady with "cni plugin not initialized". Nothing
    runs the plugins: the fleet's kubelet runs no pods, so no bridge is ever created.
    .EXAMPLE
    PS> Add-FleetCniConfig -Name worker-1
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)][string]$Name,
        $Engine
    )
    process {
        $Engine = Resolve-FleetEngine $Engine
        if (-not $PSCmdlet.ShouldProcess($Name, 'Write /etc/cni/net.d/10-fleet.conflist')) { return }
        $conflist = '{"cniVersion": "1.0.0", "name": "fleet", "plugins": [' +
            '{"type": "bridge", "bridge": "cni0", "isGateway": false, "ipMasq": false, "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.244.0.0/24"}]]}}, ' +
            '{"type": "portmap", "capabilities": {"portMappings": true}}]}'
        Invoke-FleetDocker -Engine $Engine -ArgumentList 'exec', $Name, 'sh', '-c',
            "mkdir -p /etc/cni/net.d && printf '%s\n' '$conflist' > /etc/cni/net.d/10-fleet.conflist.tmp && mv /etc/cni/net.d/10-fleet.conflist.tmp /etc/cni/net.d/10-fleet.conflist" | Out-Null
    }
}

function Set-FleetNodeCondition {
    <#
    .SYNOPSIS
    Puts a running node into a state kubeadm join's preflight refuses, or back (-Clear).
    .DESCRIPTION
    Each state is in the very file or socket that kubeadm, the kubelet and the module read on the
    node, in the node's own mount namespace; nothing of the machine's own kernel settings changes:
    - SwapOn: /proc/swaps lists a swap file (a file bind-mounted over it, as lxcfs does);
    - IpForwardOff: /proc/sys/net/ipv4/ip_forward reads 0 (a writable file bind-mounted over it,
      so sysctl on the node really sets it to 1 again: the fleet's /proc/sys is otherwise
      read-only and shows the machine's value);
    - Port10250Taken: a process (perl, as the unit fleet-port-10250) listens on ADDRESS:10250.
      Nodes share the machine's network namespace, so every node then sees the port in use.
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory)][string]$Name,
        [Parameter(Mandatory)][ValidateSet('SwapOn', 'IpForwardOff', 'Port10250Taken')][string[]]$Condition,
        [switch]$Clear,
        $Engine
    )
    $Engine = Resolve-FleetEngine $Engine
    $node = Get-FleetNode -Name $Name -Engine $Engine
    if (-not $node) { throw "No fleet node $Name." }
    $scripts = foreach ($state in $Condition) {
        switch ($state) {
            'SwapOn' {
                if ($Clear) { 'umount /proc/swaps' }
                else { "printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/swapfile                               file\t\t1048572\t\t0\t\t-2\n' > /run/fleet-swaps && mount --bind /run/fleet-swaps /proc/swaps" }
            }
            'IpForwardOff' {
                if ($Clear) { 'umount /proc/sys/net/ipv4/ip_forward' }
                else { "printf '0\n' > /run/fleet-ip_forward && mount --bind /run/fleet-ip_forward /proc/sys/net/ipv4/ip_forward" }
            }
            'Port10250Taken' {
                if ($Clear) { 'systemctl stop fleet-port-10250' }
                else {
                    "systemd-run --quiet --unit fleet-port-10250 perl -MIO::Socket::INET -e 'my `$socket = IO::Socket::INET->new(LocalAddr => q($($node.Address)), LocalPort => 10250, Listen => 5, ReuseAddr => 1) or die qq(listen: `$!); sleep' && " +
                    "( for i in `$(seq 50); do ss -Htln 'sport = :10250' | grep -q . && exit 0; sleep 0.1; done; exit 1 )"
                }
            }
        }
    }
    if ($PSCmdlet.ShouldProcess($Name, "$(if ($Clear) { 'Clear' } else { 'Set' }) fleet node condition $($Condition -join ', ')")) {
        Invoke-FleetDocker -Engine $Engine -ArgumentList 'exec', $node.ContainerId, 'sh', '-c', ($scripts -join ' && ') | Out-Null
    }
}

function New-FleetNodeContainer {
    # Starting a node is split in two so that Start-Fleet boots all containers at once and
    # only then waits for each: nodes boot in parallel.
    param(
        [Parameter(Mandatory)]$Engine, [Parameter(Mandatory)][string]$Name, [Parameter(Mandatory)][string]$Address,
        [Parameter(Mandatory)][int]$SshPort, [switch]$ControlPlane,
        [int]$EtcdClientPort, [int]$EtcdPeerPort, [string]$Variant, [string]$NetworkContainer
    )
    $ports = @($SshPort) + $(if ($ControlPlane) { $EtcdClientPort, $EtcdPeerPort })
    # A node in its own namespace has its ports to itself.
    foreach ($port in $ports | Where-Object { -not $NetworkContainer }) {
        if (-not (Test-FleetPortFree -Address $Address -Port $port)) { throw "${Address}:$port is already in use; every node needs free ports of its own." }
    }
    $image = Import-FleetImage -Engine $Engine -Variant $Variant
    $repo = Build-FleetAptRepository

    $nodeDir = Join-Path $Engine.WorkDir "nodes/$Name"
    New-Item -ItemType Directory -Force -Path $nodeDir | Out-Null
    Set-Content -LiteralPath "$nodeDir/node.env" -Value @(
        "ADDRESS=$Address", "SSH_PORT=$SshPort",
        "ETCD_CLIENT_PORT=$EtcdClientPort", "ETCD_PEER_PORT=$EtcdPeerPort")
    Copy-Item -LiteralPath "$($Engine.KeyPath).pub" -Destination "$nodeDir/authorized_keys"
    if ($ControlPlane) { New-Item -ItemType File -Force -Path "$nodeDir/control-plane" | Out-Null }

    # The host name and /etc/hosts belong to the network namespace's owner; without the hosts
    # entry sudo asks the host's resolver for the node's own name.
    $network = if ($NetworkContainer) { @('--network', "container:$NetworkContainer") }
    else { @('--network', 'host', '--hostname', $Name, '--add-host', "${Name}:$Address") }
    $runArgs = @('run', '--detach', '--name', $Name) + $network + @(
        '--label', "$script:NodeLabel=node", '--label', "$script:NodeLabel.address=$Address",
        '--label', "$script:NodeLabel.ssh-port=$SshPort",
        '--label', "$script:NodeLabel.control-plane=$($ControlPlane.IsPresent.ToString().ToLowerInvariant())",
        '--label', "$script:NodeLabel.etcd-client-port=$EtcdClientPort",
        # --privileged fails on this kind of machine (no CAP_SYS_RESOURCE in the bounding set);
        # this set runs systemd, an inner dockerd and sudo.
        '--cap-add', 'ALL', '--cap-drop', 'SYS_RESOURCE', '--security-opt', 'seccomp=unconfined',
        '--cgroupns=host', '--volume', '/sys/fs/cgroup:/sys/fs/cgroup:rw',
        # overlay2 for the inner engine needs a data root that is not itself on overlayfs.
        '--volume', '/var/lib/docker',
        # containerd's overlayfs snapshotter likewise; without it containerd's CRI plugin does not load.
        '--volume', '/var/lib/containerd',
        '--tmpfs', '/run', '--tmpfs', '/run/lock', '--stop-signal', 'SIGRTMIN+3',
        '--env', 'container=docker',
        '--volume', "${nodeDir}:/etc/fleet:ro", '--volume', "${repo}:/srv/fleet-apt:ro",
        $image.Tag, '/lib/systemd/systemd'
    )
    [pscustomobject]@{
        Engine         = $Engine
        Name           = $Name
        Address        = $Address
        SshPort        = $SshPort
        ControlPlane   = $ControlPlane.IsPresent
        EtcdClientPort = $EtcdClientPort
        Id             = (Invoke-FleetDocker -Engine $Engine -ArgumentList $runArgs | Select-Object -Last 1).Trim()
    }
}

function New-FleetNodeNetwork {
    # A network namespace of the node's own, held by a sleeping container that the node then
    # joins (--network container:), so the veth pair is in place before the node's sshd binds
    # its address. Returns the holder's name.
    param(
        [Parameter(Mandatory)]$Engine, [Parameter(Mandatory)][string]$Name, [Parameter(Mandatory)][string]$Address,
        [Parameter(Mandatory)][string]$PeerAddress, [int]$PrefixLength, [string]$Address6, [string]$PeerAddress6
    )
    $holder = "$Name-netns"
    # Interface names have at most 15 characters, the node end's temporary name included.
    $veth = "cm$Name"
    if ($veth.Length -gt 13) { throw "Node name $Name is too long for a veth pair name (at most 11 characters with -OwnNetwork)." }
    if ((Invoke-FleetNative ip 'link', 'show', 'dev', $veth -AllowFailure).ExitCode -eq 0) { throw "The interface $veth already exists; another fleet node of this name is running." }
    $image = Import-FleetImage -Engine $Engine
    Invoke-FleetDocker -Engine $Engine -ArgumentList @(
        'run', '--detach', '--name', $holder, '--hostname', $Name, '--network', 'none', '--add-host', "${Name}:$Address",
        # The engine turns IPv6 off in a container's namespace; the veth end moved in takes the defaults.
        '--sysctl', 'net.ipv6.conf.all.disable_ipv6=0', '--sysctl', 'net.ipv6.conf.default.disable_ipv6=0',
        '--label', "$script:NodeLabel=netns", '--label', "$script:NodeLabel.veth=$veth",
        $image.Tag, 'sleep', 'infinity') | Out-Null
    try {
        $holderPid = (Invoke-FleetDocker -Engine $Engine -ArgumentList 'inspect', '--format', '{{.State.Pid}}', $holder | Select-Object -Last 1).Trim()
        $inNode = @('-t', $holderPid, '-n', 'ip')
        Invoke-FleetNative ip 'link', 'add', $veth, 'type', 'veth', 'peer', 'name', "$veth-n" | Out-Null
        Invoke-FleetNative ip 'link', 'set', "$veth-n", 'netns', $holderPid | Out-Null
        Invoke-FleetNative nsenter ($inNode + @('link', 'set', "$veth-n", 'name', 'eth0')) | Out-Null
        Invoke-FleetNative nsenter ($inNode + @('addr', 'add', "$Address/$PrefixLength", 'dev', 'eth0')) | Out-Null
        Invoke-FleetNative ip 'addr', 'add', "$PeerAddress/$PrefixLength", 'dev', $veth | Out-Null
        if ($Address6) {
            # nodad: the addresses are usable at once instead of after duplicate detection.
            Invoke-FleetNative nsenter ($inNode + @('addr', 'add', "$Address6/64", 'dev', 'eth0', 'nodad')) | Out-Null
            Invoke-FleetNative ip 'addr', 'add', "$PeerAddress6/64", 'dev', $veth, 'nodad' | Out-Null
        }
        Invoke-FleetNative nsenter ($inNode + @('link', 'set', 'lo', 'up')) | Out-Null
        Invoke-FleetNative nsenter ($inNode + @('link', 'set', 'eth0', 'up')) | Out-Null
        Invoke-FleetNative ip 'link', 'set', $veth, 'up' | Out-Null
    }
    catch {
        Remove-FleetNodeNetwork -Engine $Engine -Name $Name
        throw
    }
    $holder
}

function Remove-FleetNodeNetwork {
    # Removes a node's namespace holder and the host end of its veth pair (named on the holder, so
    # nothing of another engine's nodes is touched); nothing when the node had no namespace of its own.
    param([Parameter(Mandatory)]$Engine, [Parameter(Mandatory)][string]$Name)
    $holder = "$Name-netns"
    $inspect = Invoke-FleetDocker -Engine $Engine -ArgumentList 'inspect', '--format', "{{index .Config.Labels `"$script:NodeLabel`"}} {{index .Config.Labels `"$script:NodeLabel.veth`"}}", $holder -AllowFailure
    $labels = -split "$($inspect.Output)"
    if ($inspect.ExitCode -ne 0 -or $labels.Count -ne 2 -or $labels[0] -ne 'netns') { return }
    Invoke-FleetDocker -Engine $Engine -ArgumentList 'rm', '--force', $holder -AllowFailure | Out-Null
    # The pair goes with the namespace; deleting the host end covers a namespace something else still holds.
    if ((Invoke-FleetNative ip 'link', 'show', 'dev', $labels[1] -AllowFailure).ExitCode -eq 0) {
        Invoke-FleetNative ip 'link', 'del', $labels[1] -AllowFailure | Out-Null
    }
}

function Wait-FleetNodeReady {
    # Waits (bounded) for a node's host key, SSH login and, on a control plane, etcd; records
    # the host key in the fleet's known_hosts; removes the node if it does not come up.
    param([Parameter(Mandatory)]$Container, [int]$TimeoutSec = 60)
    try {
        $publicKey = Wait-FleetCondition -Activity "the host key of $($Container.Name)" -TimeoutSec $TimeoutSec -Condition {
            $read = Invoke-FleetDocker -Engine $Container.Engine -ArgumentList 'exec', $Container.Id, 'cat', '/etc/ssh/ssh_host_ed25519_key.pub' -AllowFailure
            if ($read.ExitCode -eq 0 -and $read.Output) { ($read.Output -join '').Trim() }
        }
        $hostPattern = "[$($Container.Address)]:$($Container.SshPort)"
        $known = @(Get-Content -LiteralPath $Container.Engine.KnownHostsPath | Where-Object { -not $_.StartsWith("$hostPattern ") })
        $keyFields = -split $publicKey
        Set-Content -LiteralPath $Container.Engine.KnownHostsPath -Value ($known + "$hostPattern $($keyFields[0]) $($keyFields[1])")

        $sshArgs = @('-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes',
            '-o', "UserKnownHostsFile=$($Container.Engine.KnownHostsPath)", '-o', 'ConnectTimeout=3',
            '-i', $Container.Engine.KeyPath, '-p', $($Container.SshPort), "cmadmin@$($Container.Address)", 'true')
        Wait-FleetCondition -Activity "SSH on $($Container.Address):$($Container.SshPort)" -TimeoutSec $TimeoutSec -Condition {
            (Invoke-FleetNative ssh $sshArgs -AllowFailure).ExitCode -eq 0
        } | Out-Null
        if ($Container.ControlPlane) {
            Wait-FleetCondition -Activity "etcd on $($Container.Address):$($Container.EtcdClientPort)" -TimeoutSec $TimeoutSec -Condition {
                (Invoke-FleetDocker -Engine $Container.Engine -ArgumentList 'exec', $Container.Id, 'etcdctl', '--endpoints', "http://$($Container.Address):$($Container.EtcdClientPort)", 'endpoint', 'health' -AllowFailure).ExitCode -eq 0
            } | Out-Null
        }
        ConvertTo-FleetNode -Engine $Container.Engine -ContainerId $Container.Id
    }
    catch {
        $journal = Invoke-FleetDocker -Engine $Container.Engine -ArgumentList 'exec', $Container.Id, 'journalctl', '--no-pager', '-n', '40' -AllowFailure
        Stop-FleetNode -Name $Container.Name -Engine $Container.Engine -Confirm:$false
        throw "Node $($Container.Name) did not come up: $($_.Exception.Message)`nLast journal lines:`n$($journal.Output -join "`n")"
    }
}

function Get-FleetNode {
    <#
    .SYNOPSIS
    Lists the nodes running on a fleet engine.
    .DESCRIPTION
    Rebuilds the node objects Start-FleetNode returned from the containers' labels and host
    keys, so a session that did not start the fleet can still describe it.
    .PARAMETER Name
    Only these nodes. Default: all.
    .PARAMETER Engine
    The engine from Start-FleetEngine. Default: the session's current engine.
    .OUTPUTS
    ClusterManagement.Fleet.Node
    .EXAMPLE
    PS> Get-FleetNode | Format-Table Name, Address, SshPort, ControlPlane
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param([string[]]$Name = @(), $Engine)
    $Engine = Resolve-FleetEngine $Engine
    $ids = Invoke-FleetDocker -Engine $Engine -ArgumentList 'ps', '--quiet', '--no-trunc', '--filter', "label=$script:NodeLabel=node"
    foreach ($id in $ids | Where-Object { $_ }) {
        $node = ConvertTo-FleetNode -Engine $Engine -ContainerId $id
        if ($Name.Count -eq 0 -or $node.Name -in $Name) { $node }
    }
}

function Stop-FleetNode {
    <#
    .SYNOPSIS
    Stops and removes fleet nodes (containers, their /var/lib/docker volumes, known_hosts lines).
    .DESCRIPTION
    Kills the node containers at once: a node is disposable and whatever it ran dies with it.
    Names that are not running are ignored.
    .PARAMETER Name
    The nodes to remove; node objects bind by their Name property.
    .PARAMETER Engine
    The engine from Start-FleetEngine. Default: the session's current engine.
    .EXAMPLE
    PS> Get-FleetNode -Name worker-2 | Stop-FleetNode
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)][string[]]$Name,
        $Engine
    )
    begin { $Engine = Resolve-FleetEngine $Engine; $names = [Collections.Generic.List[string]]::new() }
    process { foreach ($n in $Name) { if ($PSCmdlet.ShouldProcess($n, 'Remove fleet node')) { $names.Add($n) } } }
    end {
        if ($names.Count -eq 0) { return }
        $addresses = foreach ($n in $names) {
            $inspect = Invoke-FleetDocker -Engine $Engine -ArgumentList 'inspect', '--format', "{{index .Config.Labels `"$script:NodeLabel.address`"}}:{{index .Config.Labels `"$script:NodeLabel.ssh-port`"}}", $n -AllowFailure
            if ($inspect.ExitCode -eq 0) { $parts = "$($inspect.Output)".Trim() -split ':'; "[$($parts[0])]:$($parts[1]) " }
        }
        # Killed rather than shut down: a node is disposable, everything it ran dies with its
        # PID namespace, and an orderly stop of an inner dockerd costs seconds per node.
        Invoke-FleetDocker -Engine $Engine -ArgumentList (@('rm', '--force', '--volumes') + $names) -AllowFailure | Out-Null
        foreach ($n in $names) { Remove-FleetNodeNetwork -Engine $Engine -Name $n }
        foreach ($n in $names) { Remove-Item -LiteralPath (Join-Path $Engine.WorkDir "nodes/$n") -Recurse -Force -ErrorAction SilentlyContinue }
        if ($addresses -and (Test-Path -LiteralPath $Engine.KnownHostsPath)) {
            $kept = @(Get-Content -LiteralPath $Engine.KnownHostsPath | Where-Object { $line = $_; -not ($addresses | Where-Object { $line.StartsWith($_) }) })
            Set-Content -LiteralPath $Engine.KnownHostsPath -Value $kept
        }
    }
}

function Start-Fleet {
    <#
    .SYNOPSIS
    Starts a fleet of node hosts (and the engine, when none is running).
    .DESCRIPTION
    Names control planes cp-1, cp-2 ... and workers worker-1 ...; node i (0-based) gets
    address 127.0.0.(FirstOctet + i), SSH port 2200 + octet and,
    on a control plane, etcd ports 2400 + octet (client) and 2500 + octet (peer), so each
    address tells its ports. When it started the engine itself and a node fails, it stops
    everything before rethrowing.
    .PARAMETER Count
    How many nodes in all.
    .PARAMETER ControlPlaneCount
    How many of them are control planes (run etcd).
    .PARAMETER CniConfig
    Gives every node a CNI network configuration (Add-FleetCniConfig), so joined nodes turn Ready.
    .OUTPUTS
    ClusterManagement.Fleet.Node, one per node.
    .EXAMPLE
    PS> $nodes = Start-Fleet -Count 3 -ControlPlaneCount 1
    PS> Export-FleetInventory -Path ./nodes.json
    PS> Stop-Fleet
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)][ValidateRange(1, 50)][int]$Count,
        [ValidateRange(0, 50)][int]$ControlPlaneCount = 0,
        [ValidateSet('Base', 'Docker')][string]$Variant = 'Base',
        [ValidateRange(2, 200)][int]$FirstOctet = 11,
        [switch]$CniConfig,
        $Engine
    )
    if ($ControlPlaneCount -gt $Count) { throw '-ControlPlaneCount cannot exceed -Count.' }
    if (-not $PSCmdlet.ShouldProcess("$Count node(s)", 'Start fleet')) { return }
    $ownEngine = -not $Engine -and -not $script:CurrentEngine
    $Engine = if ($ownEngine) { Start-FleetEngine -Confirm:$false } else { Resolve-FleetEngine $Engine }
    try {
        $containers = for ($i = 0; $i -lt $Count; $i++) {
            $octet = $FirstOctet + $i
            $isControlPlane = $i -lt $ControlPlaneCount
            $nodeName = if ($isControlPlane) { "cp-$($i + 1)" } else { "worker-$($i - $ControlPlaneCount + 1)" }
            New-FleetNodeContainer -Engine $Engine -Name $nodeName -Address "127.0.0.$octet" -SshPort (2200 + $octet) `
                -ControlPlane:$isControlPlane -EtcdClientPort (2400 + $octet) -EtcdPeerPort (2500 + $octet) -Variant $Variant
        }
        foreach ($container in $containers) {
            Wait-FleetNodeReady -Container $container
            if ($CniConfig) { Add-FleetCniConfig -Name $container.Name -Engine $Engine }
        }
    }
    catch {
        if ($ownEngine) { Stop-Fleet -Engine $Engine -Confirm:$false }
        throw
    }
}

function Start-FleetCluster {
    <#
    .SYNOPSIS
    Starts an emulator, the fleet engine and Docker nodes, and joins the nodes to the emulator with the module.
    .DESCRIPTION
    The set-up of the suites and benches that work on joined nodes. The emulator runs with no nodes of
    its own (-ExtraArgument: e.g. its --kubernetes-version). Node i (0-based, the control plane first)
    gets address 127.0.0.(FirstOctet + i) and the ports Start-Fleet gives that address, and a CNI
    configuration, so its kubelet turns Ready once joined. New-ClusterNode of the module at -ModulePath
    joins them from a pwsh of its own, so this session need not load the module: the control plane
    first (as control-plane, tainted NoSchedule), then the workers four at a time. -BeforeJoin runs once
    the emulator answers, with the cluster as its argument; the hashtable it returns is added to the
    control plane's New-ClusterNode parameters (the -CertificateKey of the kubeadm-certs Secret it made).
    When a step fails, everything started is stopped before rethrowing.
    .PARAMETER JoinParameter
    More New-ClusterNode parameters for every node (e.g. Role, Timeout, ContainerdVersion).
    .PARAMETER KnownHostsPath
    The module's known_hosts file for these nodes; default module_known_hosts in the engine's work directory.
    .OUTPUTS
    Cluster (Start-TestCluster's), Engine, Nodes (control plane first), Access (SshUser, SshKeyPath,
    KnownHostsPath: the module's parameters for these nodes).
    .EXAMPLE
    PS> $fleet = Start-FleetCluster -Root . -ModulePath ./out/ClusterManagement -Worker w-1, w-2 -FirstOctet 181
    PS> $access = $fleet.Access
    PS> Get-NodeDocker @access
    #>
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)][string]$Root,
        [Parameter(Mandatory)][string]$ModulePath,
        [string]$Configuration = 'Release',
        [string[]]$ExtraArgument = @(),
        [string]$ControlPlane,
        [string[]]$Worker = @(),
        [Parameter(Mandatory)][ValidateRange(2, 200)][int]$FirstOctet,
        [hashtable]$JoinParameter = @{},
        [scriptblock]$BeforeJoin,
        [string]$KnownHostsPath,
        [ValidateRange(1, 3600)][int]$TimeoutSec = 900
    )
    $names = @($ControlPlane | Where-Object { $_ }) + $Worker
    if (-not $names) { throw 'Start-FleetCluster needs -ControlPlane or -Worker.' }
    $cluster = Start-TestCluster -Root $Root -Workers 0 -ControlPlanes 0 -ExtraArgument $ExtraArgument -Configuration $Configuration
    $engine = $null
    $parameterFile = Join-Path ([IO.Path]::GetTempPath()) "cm-fleet-join-$([guid]::NewGuid().ToString('n')).json"
    try {
        $engine = Start-FleetEngine -Confirm:$false
        $nodes = for ($i = 0; $i -lt $names.Count; $i++) {
            $octet = $FirstOctet + $i
            Start-FleetNode -Engine $engine -Name $names[$i] -Address "127.0.0.$octet" -SshPort (2200 + $octet) -ControlPlane:($i -eq 0 -and $ControlPlane) `
                -EtcdClientPort (2400 + $octet) -EtcdPeerPort (2500 + $octet) -Variant Docker -CniConfig
        }
        $access = @{ SshUser = 'cmadmin'; SshKeyPath = $engine.KeyPath; KnownHostsPath = $KnownHostsPath ? $KnownHostsPath : (Join-Path $engine.WorkDir 'module_known_hosts') }
        $joins = @($nodes | ForEach-Object { $access + $JoinParameter + @{ Name = $_.Name; Address = $_.Address; Port = $_.SshPort; AcceptNewHostKey = $true; Force = $true } })
        $first = @()
        if ($ControlPlane) {
            $extra = @{ Role = 'control-plane'; Taint = 'node-role.kubernetes.io/control-plane:NoSchedule' } + $(if ($BeforeJoin) { & $BeforeJoin $cluster } else { @{} })
            foreach ($key in $extra.Keys) { $joins[0][$key] = $extra[$key] }
            $first = @($joins[0])
            $joins = @($joins | Select-Object -Skip 1)
        }
        $join = [ordered]@{ KubeConfig = $cluster.KubeConfig; ModulePath = $ModulePath; Stages = @($first, $joins) }
        $join | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $parameterFile
        # timeout(1) bounds the join as a whole; New-ClusterNode bounds each node's steps itself.
        Invoke-FleetNative timeout '--kill-after=10', $TimeoutSec, (Join-Path $PSHOME 'pwsh'), '-NoLogo', '-NoProfile', '-NonInteractive',
            '-File', (Join-Path $PSScriptRoot 'Join-FleetCluster.ps1'), $parameterFile | Write-Verbose
        [pscustomobject]@{ PSTypeName = 'ClusterManagement.Fleet.Cluster'; Cluster = $cluster; Engine = $engine; Nodes = @($nodes); Access = $access }
    }
    catch {
        if ($engine) { Stop-Fleet -Engine $engine -Confirm:$false }
        Stop-TestCluster $cluster
        throw
    }
    finally {
        Remove-Item -LiteralPath $parameterFile -ErrorAction Ignore
    }
}

function Stop-FleetCluster {
    <#
    .SYNOPSIS
    Stops what Start-FleetCluster started: its nodes and engine, then its emulator.
    .DESCRIPTION
    Does nothing without a cluster, so a finally block or an AfterAll can call it whether the start succeeded or not.
    #>
    param($FleetCluster)
    if (-not $FleetCluster) { return }
    try {
        Stop-Fleet -Engine $FleetCluster.Engine -Confirm:$false
    }
    finally {
        Stop-TestCluster $FleetCluster.Cluster
    }
}

function Stop-Fleet {
    <#
    .SYNOPSIS
    Stops every node of a fleet engine, then the engine, and removes the work directory.
    .DESCRIPTION
    Safe to call from a test's AfterAll whatever state the fleet is in: with no engine it
    does nothing.
    .EXAMPLE
    PS> Stop-Fleet
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param($Engine)
    $Engine = if ($Engine) { $Engine } else { $script:CurrentEngine }
    if (-not $Engine) { return }
    if (-not $PSCmdlet.ShouldProcess($Engine.WorkDir, 'Stop fleet')) { return }
    try {
        if (Test-FleetProcess $Engine.Pid) {
            $names = Invoke-FleetDocker -Engine $Engine -ArgumentList 'ps', '--all', '--format', '{{.Names}}', '--filter', "label=$script:NodeLabel=node" -AllowFailure
            if ($names.ExitCode -eq 0 -and $names.Output) { Stop-FleetNode -Engine $Engine -Name $names.Output -Confirm:$false }
        }
    }
    finally {
        Stop-FleetEngine -Engine $Engine -Confirm:$false
    }
}

function Export-FleetInventory {
    <#
    .SYNOPSIS
    Writes the fleet's hosts to a JSON file other tools (the module, the sandbox) read.
    .DESCRIPTION
    Writes a JSON array with, for each host: name, address, sshPort, user, keyPath,
    knownHostsPath, hostKeyFingerprint (and etcdClientPort on control planes).
    .EXAMPLE
    PS> Export-FleetInventory -Path ./nodes.json
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory)][string]$Path,
        [Parameter(ValueFromPipeline)][pscustomobject[]]$Node,
        $Engine,
        [switch]$PassThru
    )
    begin { $nodes = [Collections.Generic.List[object]]::new() }
    process { foreach ($n in $Node) { if ($n) { $nodes.Add($n) } } }
    end {
        if ($nodes.Count -eq 0) { foreach ($n in Get-FleetNode -Engine $Engine) { $nodes.Add($n) } }
        $hosts = foreach ($n in $nodes) {
            $entry = [ordered]@{
                name               = $n.Name
                address            = $n.Address
                sshPort            = $n.SshPort
                user               = $n.User
                keyPath            = $n.KeyPath
                knownHostsPath     = $n.KnownHostsPath
                hostKeyFingerprint = $n.HostKeyFingerprint
            }
            if ($n.ControlPlane) { $entry.etcdClientPort = $n.EtcdClientPort }
            $entry
        }
        if ($PSCmdlet.ShouldProcess($Path, 'Write fleet inventory')) {
            ConvertTo-Json -InputObject @($hosts) -Depth 3 | Set-Content -LiteralPath $Path
            if ($PassThru) { Get-Item -LiteralPath $Path }
        }
    }
}

#endregion

Export-ModuleMember -Function Test-FleetPrerequisite, Install-FleetPrerequisite, Start-FleetEngine, Stop-FleetEngine,
    Build-FleetImage, Import-FleetImage, Build-FleetAptRepository, Start-FleetNode, Add-FleetCniConfig, Set-FleetNodeCondition, Get-FleetNode, Stop-FleetNode,
    Start-Fleet, Start-FleetCluster, Stop-FleetCluster, Stop-Fleet, Export-FleetInventory
