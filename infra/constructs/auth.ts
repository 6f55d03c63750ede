import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ADMIN_GROUP } from '../../shared/project-access';

export interface AuthProps {
  /** Deletion protection on the user pool; without it the pool is also deleted with the stack. */
  deletionProtection: boolean;
}

/**
 * The Cognito user pool behind the API's default auth mode and the REST
 * authorizer: administrators create users (no self sign-up) and put them in
 * `admins` or `project-{projectID}` groups, which the resolvers check.
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // A token opens a project's files: every user signs in with an authenticator app too.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan adds threat protection (adaptive authentication, compromised-credential checks), billed per monthly active user. This pool admits only administrator-created users, requires TOTP MFA for every sign-in and a 12-character complex password, which covers the account-takeover risks threat protection scores. Switch featurePlan to PLUS if your policy requires adaptive authentication.',
    });

    // A browser app: no client secret, Secure Remote Password sign-in only, no hosted-UI OAuth flows.
    this.client = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    this.userPool.addGroup('Admins', {
      groupName: ADMIN_GROUP,
      description: 'May read and write the files of every project.',
    });
  }
}
