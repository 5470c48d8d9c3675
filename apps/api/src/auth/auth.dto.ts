import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '#libs/domain';
import { Nullable } from '../common/nullable.js';

const PASSWORD_MIN = 12;

export class LoginDto {
  @ApiProperty()
  @IsString({ message: 'email must be a string' })
  @MaxLength(320)
  email!: string;

  @ApiProperty()
  @IsString({ message: 'password must be a string' })
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({
    enum: ['token', 'cookie'],
    default: 'token',
    description: 'token: the session token in the body, for API clients; cookie: an httpOnly session cookie and a CSRF cookie, for the browser console (no token in the body)',
  })
  @IsOptional()
  @IsIn(['token', 'cookie'], { message: 'session must be one of token, cookie' })
  session?: 'token' | 'cookie';
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString({ message: 'currentPassword must be a string' })
  @MaxLength(1024)
  currentPassword!: string;

  @ApiProperty({ minLength: PASSWORD_MIN })
  @IsString({ message: 'newPassword must be a string' })
  @MinLength(PASSWORD_MIN, { message: `newPassword must be at least ${PASSWORD_MIN} characters` })
  @MaxLength(1024)
  newPassword!: string;
}

export class CreateUserDto {
  @ApiProperty()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty()
  @IsString({ message: 'displayName must be a string' })
  @MinLength(1, { message: 'displayName must not be empty' })
  @MaxLength(200)
  displayName!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiProperty({ minLength: PASSWORD_MIN })
  @IsString({ message: 'password must be a string' })
  @MinLength(PASSWORD_MIN, { message: `password must be at least ${PASSWORD_MIN} characters` })
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({ description: "agent role: the agent's id or external id; the user sees only that agent's calls" })
  @ValidateIf((dto: CreateUserDto) => dto.role === 'agent' || dto.agent !== undefined)
  @IsString({ message: 'agent is required for the agent role (the agent id or external id)' })
  agent?: string;

  @ApiPropertyOptional({ description: 'may read unredacted transcripts and recordings (admin and compliance may anyway)' })
  @IsOptional()
  @IsBoolean({ message: 'unredactedAccess must be true or false' })
  unredactedAccess?: boolean;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'displayName must be a string' })
  @MinLength(1, { message: 'displayName must not be empty' })
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ minLength: PASSWORD_MIN, description: 'sets a new password and ends the user’s sessions' })
  @IsOptional()
  @IsString({ message: 'password must be a string' })
  @MinLength(PASSWORD_MIN, { message: `password must be at least ${PASSWORD_MIN} characters` })
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ nullable: true })
  @Nullable()
  @IsOptional()
  @IsString({ message: 'agent must be a string (the agent id or external id)' })
  agent?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'unredactedAccess must be true or false' })
  unredactedAccess?: boolean;

  @ApiPropertyOptional({ description: 'true ends the user’s sessions and refuses sign-in' })
  @IsOptional()
  @IsBoolean({ message: 'disabled must be true or false' })
  disabled?: boolean;
}

export class CreateApiKeyDto {
  @ApiProperty({ description: 'what the key is for, e.g. "dialer-eu"' })
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: ROLES.filter((role) => role !== 'agent') })
  @IsIn(ROLES.filter((role) => role !== 'agent'), { message: 'role must be one of admin, qa_lead, compliance, trainer, integration (an agent key would see no calls)' })
  role!: Exclude<Role, 'agent'>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'unredactedAccess must be true or false' })
  unredactedAccess?: boolean;
}
