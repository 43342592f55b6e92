/** The signed-in operator as `/workbench/me` answers. */
export interface Me {
  id: string;
  login: string;
  displayName: string;
  role: string;
  expiresAt: number;
  /** The server's clock when answering. */
  now: number;
}
