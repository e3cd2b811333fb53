/**
 * Configuration of the remote terminal probe (§1, §5.12): who to log in as on a CP machine and in which AWS region,
 * and which programs to run. Defaults live here and nowhere else.
 */
import { Config } from "effect"

/** What the EC2 Instance Connect probe needs. */
export interface EicProbeOptions {
  /** OS user the ephemeral key is pushed for and ssh logs in as (`WORKSPACE_EC2_OS_USER`). */
  readonly osUser: string
  /** AWS region of the machines (`AWS_REGION`). */
  readonly region: string
  /** The AWS CLI (default `aws` on PATH). */
  readonly awsCommand?: string
  /** The OpenSSH client (default `ssh` on PATH). */
  readonly sshCommand?: string
  /** The key generator (default `ssh-keygen` on PATH). */
  readonly sshKeygenCommand?: string
  /** Where the ephemeral key's directory is made (default: the OS temporary directory). */
  readonly keyDirectory?: string
}

/** Contract §1 defaults: the CP's machine image user and region. */
export const defaults = { osUser: "ubuntu", region: "us-east-2" } as const

const orDefault = (name: string, fallback: string) =>
  Config.string(name).pipe(
    Config.withDefault(""),
    Config.map((value) => (value.trim() === "" ? fallback : value.trim()))
  )

/** `WORKSPACE_EC2_OS_USER` (default `ubuntu`) and `AWS_REGION` (default `us-east-2`); an empty value means unset. */
export const EicProbeConfig: Config.Config<EicProbeOptions> = Config.all({
  osUser: orDefault("WORKSPACE_EC2_OS_USER", defaults.osUser),
  region: orDefault("AWS_REGION", defaults.region)
})
