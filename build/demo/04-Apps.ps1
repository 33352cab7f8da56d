param($Demo)

$kubectl = { kubectl --kubeconfig $Demo.Cluster.KubeConfig --cache-dir (Join-Path $Demo.Cluster.StateDir 'kubectl-cache') @args }

Show-Step 'Apps are Deployments: the columns of kubectl get deploy -o wide' { Wait-AppRollout web | Out-Null; Get-ClusterApp -AllNamespaces }
Show-Step 'Release a new version, record why, and follow the rollout (a watch, with a progress bar)' {
    Publish-AppVersion -Name web -Image nginx:1.28 -ChangeCause 'nginx 1.28: security fixes' -Wait
}
Show-Step 'Another release' { Publish-AppVersion web nginx:1.29 -ChangeCause 'nginx 1.29' -Wait }
Show-Step 'A bad image reference is refused before anything is sent' {
    try { Publish-AppVersion web 'Nginx:1.30' -ErrorAction Stop } catch { "ERROR [$($_.FullyQualifiedErrorId)]: $_" }
}
Show-Step 'The history, as kubectl rollout history reads it' { Get-AppRevision web }
Show-Step 'Roll back to a revision picked from the history' { Get-AppRevision web | Where-Object Revision -eq 1 | Invoke-AppRollback -Wait }
Show-Step 'kubectl agrees: rolled-back revisions move to the top' { & $kubectl rollout history deployment/web }
Show-Step 'A release that never becomes ready fails its progress deadline and says why: the error''s Cause line, its Diagnosis (the old pods keep serving)' {
    & $kubectl patch deployment web -p '{"spec":{"progressDeadlineSeconds":3}}' | Out-Null
    Publish-AppVersion web nginx:broken -ChangeCause 'a bad build' -Wait -ErrorAction Continue -ErrorVariable failed 2>&1 |
        ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { "ERROR [$($_.FullyQualifiedErrorId)]: $_" } else { $_ } }
    $failed[0].Exception.Diagnosis
}
Show-Step '... and one command undoes it' { Invoke-AppRollback web -Wait }
Show-Step 'Scale through the scale subresource, only if nobody else changed it meanwhile' { Set-AppReplicaCount web -Replicas 4 -CurrentReplicas 2 -Wait }
Show-Step 'The app now' { Get-ClusterApp web }
Show-Step 'Pause, change, resume: one rollout for several changes' {
    Suspend-AppRollout web
    Publish-AppVersion web nginx:1.29 -ChangeCause 'nginx 1.29 again' | Out-Null
    Resume-AppRollout web -PassThru
}
Show-Step 'Restart every pod with a rolling update' { Restart-App web -Wait }
